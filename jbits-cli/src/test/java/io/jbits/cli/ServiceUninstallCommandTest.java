package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.rest.ServicePaths;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceUninstallCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private ServiceUninstallCommand command(String stdin, boolean purge, boolean yes) {
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        Cli cli = new Cli(new FakeServices(), ps, ps, dir, false, false,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        ServiceUninstallCommand c = new ServiceUninstallCommand(cli);
        c.purge = purge;
        c.yes = yes;
        return c;
    }

    private ServicePaths paths() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.writeString(state.resolve("jobs.db"), "jobs");
        return new ServicePaths(state, dir.resolve("run/jbits/jbits.sock"));
    }

    @Test
    void withoutPurgeTheStateStaysAndTheSocketIsMaskedForTheUser() throws Exception {
        ServicePaths p = paths();
        Path units = dir.resolve("config/systemd/user");
        assertEquals(0, command("", false, false).uninstall(p, dir.resolve("cache"), units, true));
        assertTrue(Files.exists(p.database()));
        assertEquals(Path.of("/dev/null"), Files.readSymbolicLink(units.resolve("jbits.socket")));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("your jobs and state stay in " + p.stateDir()));
        Files.delete(units.resolve("jbits.socket")); // JUnit warns about links out of its directory
    }

    @Test
    void purgeAsksAndKeepsEverythingUnlessTheAnswerIsYes() throws Exception {
        ServicePaths p = paths();
        assertEquals(1, command("no\n", true, false).uninstall(p, null, dir.resolve("u"), false));
        assertTrue(Files.exists(p.database()));
        assertFalse(Files.exists(dir.resolve("u")), "no units installed: nothing masked");
        assertEquals(0, command("yes\n", true, false).uninstall(p, null, dir.resolve("u"), false));
        assertFalse(Files.exists(p.stateDir()));
    }

    @Test
    void purgeWithYesDeletesStateAndCacheWithoutAsking() throws Exception {
        ServicePaths p = paths();
        Path cache = Files.createDirectories(dir.resolve("cache/jbits"));
        Files.writeString(cache.resolve("cli.jsa"), "archive");
        assertEquals(0, command("", true, true).uninstall(p, cache, dir.resolve("u"), false));
        assertFalse(Files.exists(p.stateDir()));
        assertFalse(Files.exists(cache));
    }
}
