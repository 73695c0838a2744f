package io.jbits.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServicePathsTest {
    private static final Path HOME = Path.of("/home/alice");

    @Test
    void jbitsHomeHoldsStateAndSocket() {
        ServicePaths p = ServicePaths.from(
                Map.of("JBITS_HOME", "/tmp/jb", "XDG_STATE_HOME", "/x/state", "XDG_RUNTIME_DIR", "/run/user/1"), HOME);
        assertEquals(Path.of("/tmp/jb"), p.stateDir());
        assertEquals(Path.of("/tmp/jb/jbits.sock"), p.socket());
        assertEquals(Path.of("/tmp/jb/jobs.db"), p.database());
        assertEquals(Path.of("/tmp/jb/service.log"), p.log());
        assertEquals(Path.of("/tmp/jb/service.pid"), p.pidFile());
        assertEquals(Path.of("/tmp/jb/service.lock"), p.lockFile());
    }

    @Test
    void xdgDirectoriesAreUsedWithoutJbitsHome() {
        ServicePaths p = ServicePaths.from(Map.of("XDG_STATE_HOME", "/x/state", "XDG_RUNTIME_DIR", "/run/user/1"),
                HOME);
        assertEquals(Path.of("/x/state/jbits"), p.stateDir());
        assertEquals(Path.of("/run/user/1/jbits/jbits.sock"), p.socket());
    }

    @Test
    void homeDirectoryIsTheLastResort() {
        ServicePaths p = ServicePaths.from(Map.of("JBITS_HOME", ""), HOME);
        assertEquals(Path.of("/home/alice/.local/state/jbits"), p.stateDir());
        assertEquals(Path.of("/home/alice/.local/state/jbits/jbits.sock"), p.socket());
    }

    @Test
    void socketPathOf108BytesIsRefusedWithTheReason() {
        String dir = "/tmp/" + "d".repeat(108 - "/tmp/".length() - "/jbits.sock".length());
        assertEquals(108, (dir + "/jbits.sock").length());
        var e = assertThrows(IllegalArgumentException.class,
                () -> ServicePaths.from(Map.of("JBITS_HOME", dir), HOME));
        assertTrue(e.getMessage().contains("108 bytes"), e.getMessage());
        String shorter = dir.substring(0, dir.length() - 1);
        assertEquals(Path.of(shorter, "jbits.sock"), ServicePaths.from(Map.of("JBITS_HOME", shorter), HOME).socket());
    }

    @Test
    void createDirectoriesMakesPrivateStateAndSocketDirectories(@TempDir Path tmp) throws Exception {
        ServicePaths p = ServicePaths.from(
                Map.of("XDG_STATE_HOME", tmp.resolve("state").toString(),
                        "XDG_RUNTIME_DIR", tmp.resolve("run").toString()), HOME);
        p.createDirectories();
        assertTrue(Files.isDirectory(p.stateDir()));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p.stateDir())));
        assertEquals("rwx------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(p.socket().getParent())));
        p.createDirectories();
    }
}
