package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.rest.ServicePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserChecksTest {
    @TempDir
    Path dir;

    private final String me = System.getProperty("user.name");

    private UserChecks checks(Path state, Path cache) {
        return new UserChecks(new ServicePaths(state, state.resolve("jbits.sock")), cache, me);
    }

    private Path state(String dirMode) throws Exception {
        Path state = Files.createDirectory(dir.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString(dirMode));
        return state;
    }

    private static void database(Path db, String mode) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE jobs (id TEXT PRIMARY KEY, name TEXT)");
            s.execute("INSERT INTO jobs VALUES ('a', 'nightly')");
        }
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString(mode));
    }

    @Test
    void aPrivateStateWithAHealthyDatabasePasses() throws Exception {
        Path state = state("rwx------");
        database(state.resolve("jobs.db"), "rw-------");
        DoctorCheck c = checks(state, null).state();
        assertEquals(DoctorCheck.Outcome.PASS, c.outcome(), c.line());
        assertTrue(c.detail().contains("integrity check ok"), c.line());
    }

    @Test
    void noStateYetPasses() {
        DoctorCheck c = checks(dir.resolve("never"), null).state();
        assertEquals(DoctorCheck.Outcome.PASS, c.outcome(), c.line());
    }

    @Test
    void openModesAreNamed() throws Exception {
        Path state = state("rwxr-xr-x");
        database(state.resolve("jobs.db"), "rw-r--r--");
        DoctorCheck c = checks(state, null).state();
        assertEquals(DoctorCheck.Outcome.FAIL, c.outcome());
        assertTrue(c.detail().contains(state + " has mode rwxr-xr-x, not 0700"), c.line());
        assertTrue(c.detail().contains(state.resolve("jobs.db") + " has mode rw-r--r--, not 0600"), c.line());
    }

    @Test
    void aDamagedDatabaseFailsItsIntegrityCheck() throws Exception {
        Path state = state("rwx------");
        Path db = state.resolve("jobs.db");
        database(db, "rw-------");
        byte[] bytes = Files.readAllBytes(db);
        for (int i = 100; i < bytes.length; i++) {
            bytes[i] = (byte) 0xA5; // the header stays, every page is garbage
        }
        Files.write(db, bytes);
        DoctorCheck c = checks(state, null).state();
        assertEquals(DoctorCheck.Outcome.FAIL, c.outcome(), c.line());
        assertTrue(c.detail().contains("fails its integrity check"), c.line());
    }

    @Test
    void aWritableCachePassesAndNoneOrAnUnwritableOneFails() throws Exception {
        DoctorCheck ok = checks(dir, dir.resolve("cache/jbits")).cache();
        assertEquals(DoctorCheck.Outcome.PASS, ok.outcome(), ok.line());
        assertEquals(DoctorCheck.Outcome.FAIL, checks(dir, null).cache().outcome());
        Path file = Files.writeString(dir.resolve("a-file"), "x"); // fails even for root, unlike a mode
        DoctorCheck under = checks(dir, file.resolve("jbits")).cache();
        assertEquals(DoctorCheck.Outcome.FAIL, under.outcome(), under.line());
    }

    @Test
    void aServiceThatCannotStartFails() throws Exception {
        try (FakeServices services = new FakeServices()) {
            DoctorCheck c = checks(dir, null).service(services);
            assertEquals(DoctorCheck.Outcome.FAIL, c.outcome());
            assertTrue(c.detail().contains("no answer on " + dir.resolve("jbits.sock")), c.line());
        }
    }
}
