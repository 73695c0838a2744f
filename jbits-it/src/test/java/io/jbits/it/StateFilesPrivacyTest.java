package io.jbits.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service's state as another Unix user sees it, without any mode loosened by the test: the state directory
 * cannot be listed or entered, so neither the database (which holds credentials) nor the log nor the socket can be
 * read or reached, and the database and socket are 0600 in their own right.
 */
class StateFilesPrivacyTest extends EndToEnd {
    private static final String OTHER = "jbitsit3";
    private static final Duration CALL = Duration.ofSeconds(30);
    private static boolean createdUser;

    @BeforeAll
    static void createOtherUser() {
        if (!Os.isRoot()) {
            throw new AssertionError("StateFilesPrivacyTest creates the Unix user " + OTHER + " and needs root "
                    + "(CI runs as root)");
        }
        if (!Os.run(CALL, "id", "-u", OTHER).ok()) {
            Os.Result added = Os.run(CALL, "useradd", "-M", "-r", "-s", "/usr/sbin/nologin", OTHER);
            assertEquals(0, added.exitCode(), "useradd " + OTHER + ": " + added.stderr());
            createdUser = true;
        }
    }

    @AfterAll
    static void removeOtherUser() {
        if (createdUser) {
            Os.run(CALL, "userdel", OTHER);
        }
    }

    private static Os.Result asOther(String... command) {
        List<String> all = new ArrayList<>(List.of("setpriv", "--reuid=" + OTHER, "--regid=" + OTHER,
                "--clear-groups", "--"));
        all.addAll(List.of(command));
        return Os.run(all, CALL, new ProcessBuilder().directory(new java.io.File("/")));
    }

    @Test
    void anotherUserCanNeitherListNorReadNorReachTheStateFiles() throws IOException {
        String job = cli.createJob("private", "normal");
        Path home = cli.home();
        Path db = home.resolve("jobs.db");
        Path socket = home.resolve("jbits.sock");
        Path log = home.resolve("service.log");
        assertTrue(Files.exists(db) && Files.exists(socket), "the service runs in " + home);

        assertEquals("rwx------", mode(home), "the state directory");
        assertEquals("rw-------", mode(db), "the database");
        assertEquals("rw-------", mode(socket), "the socket");
        try (Stream<Path> files = Files.list(home)) {
            for (Path f : files.toList()) {
                if (f.getFileName().toString().startsWith("jobs.db")) {
                    assertEquals("rw-------", mode(f), "SQLite's own files beside the database: " + f);
                }
            }
        }

        for (Path p : List.of(db, log, home.resolve("service.pid"))) {
            Os.Result cat = asOther("cat", p.toString());
            assertNotEquals(0, cat.exitCode(), "cat " + p + " as " + OTHER + ": " + cat);
            assertTrue(cat.stderr().contains("Permission denied"), "refused by the kernel: " + cat.stderr());
            assertFalse(cat.stdout().contains(job), "no job data: " + cat.stdout());
        }
        Os.Result ls = asOther("ls", home.toString());
        assertNotEquals(0, ls.exitCode(), "ls of the state directory as " + OTHER + ": " + ls);
        Os.Result curl = asOther("curl", "-sS", "--max-time", "10", "--unix-socket", socket.toString(),
                "http://localhost/v1/jobs");
        assertNotEquals(0, curl.exitCode(), "curl to the socket as " + OTHER + ": " + curl);
        assertFalse(curl.stdout().contains(job), "no job data through the socket: " + curl.stdout());
        assertTrue(curl.stderr().contains("ermission denied") || curl.stderr().contains("Couldn't connect"),
                "refused at connect: " + curl.stderr());
    }

    private static String mode(Path p) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        return PosixFilePermissions.toString(perms);
    }
}
