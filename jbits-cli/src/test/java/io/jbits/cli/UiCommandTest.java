package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jbits ui} as parsed, against fake services. */
class UiCommandTest {
    @TempDir
    Path cwd;
    private final FakeServices services = new FakeServices();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        Cli cli = new Cli(services, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), cwd, false, false);
        return Main.run(args, cli);
    }

    @Test
    void printsTheAddressWithTheTokenOnAnyFreePort() {
        assertEquals(0, run("ui", "--no-open"));
        assertEquals(List.of("dashboard null"), services.calls);
        assertEquals("http://127.0.0.1:41234/?token=" + "ab".repeat(32), out.toString(StandardCharsets.UTF_8)
                .strip());
    }

    @Test
    void asksForTheGivenPortAndRefusesImpossibleOnes() {
        assertEquals(0, run("ui", "--no-open", "--port", "8123"));
        assertEquals(List.of("dashboard 8123"), services.calls);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("http://127.0.0.1:8123/?token="));
        assertEquals(2, run("ui", "--port", "70000"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--port must be 1 to 65535"));
        assertEquals(List.of("dashboard 8123"), services.calls);
    }

    @Test
    void aBrowserOpensOnlyWithADisplayAndXdgOpen() throws Exception {
        Path opener = Files.createFile(cwd.resolve("xdg-open"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertEquals(opener, UiCommand.browserOpener(Map.of("DISPLAY", ":0", "PATH", "/nonexistent:" + cwd)));
        assertNull(UiCommand.browserOpener(Map.of("PATH", cwd.toString())));
        assertNull(UiCommand.browserOpener(Map.of("WAYLAND_DISPLAY", "wayland-0", "PATH", "/nonexistent")));
    }
}
