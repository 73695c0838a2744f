package io.jbits.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sample application {@code examples/…/Download.java}, run as a user would: it prints progress, is stopped
 * halfway (SIGTERM), and run again picks its job up where the bytes stopped and finishes the file.
 */
@Tag("e2e")
class ExampleAppTest {
    @TempDir
    Path data;
    @TempDir
    Path work;
    private Nginx nginx;
    private Process app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.destroyForcibly();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    private Process start(String url, Path file) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.jbits.examples.Download",
                "--embedded", work.resolve("state").toString(), url, file.toString());
        pb.redirectErrorStream(true);
        return pb.start();
    }

    /** Reads the app's lines until one matches, or the app ends; returns every line read. */
    private static List<String> readUntil(Process p, String prefix, Duration timeout) throws Exception {
        List<String> lines = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + timeout.toNanos();
        String line;
        while (System.nanoTime() < deadline && (line = in.readLine()) != null) {
            lines.add(line);
            if (line.startsWith(prefix)) {
                return lines;
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' in " + lines);
    }

    /**
     * The app's own first line. SLF4J may print its own diagnostics first (on stderr, merged here): when two threads
     * log while it initialises, it says it replays the calls it held back.
     */
    private static String firstOwnLine(List<String> lines) {
        return lines.stream().filter(l -> !l.startsWith("SLF4J(")).findFirst().orElse("");
    }

    @Test
    void downloadsWithProgressAndResumesAfterItsOwnRestart() throws Exception {
        Path source = TestData.randomFile(data.resolve("big.bin"), 6L * TestData.MIB, 11);
        nginx = Nginx.start(data, "1m");
        Path target = work.resolve("out/big.bin");
        Files.createDirectories(target.getParent());
        String url = nginx.url("/slow/big.bin");

        app = start(url, target);
        List<String> first = readUntil(app, "progress", Duration.ofSeconds(60));
        String started = firstOwnLine(first);
        assertTrue(started.startsWith("started "), first.toString());
        readUntil(app, "progress", Duration.ofSeconds(30)); // a second progress line: bytes are moving
        app.destroy(); // SIGTERM, as Ctrl-C: the sample closes its engine, which checkpoints
        assertTrue(app.waitFor(30, TimeUnit.SECONDS));

        app = start(url, target);
        List<String> second = readUntil(app, "done ", Duration.ofMinutes(2));
        String reattached = firstOwnLine(second);
        assertTrue(reattached.startsWith("re-attached " + started.substring("started ".length())),
                second.toString());
        long resumedAt = Long.parseLong(reattached.replaceAll(".* at (\\d+) bytes", "$1"));
        assertTrue(resumedAt > 0, "picked up where it stopped: " + reattached);
        assertTrue(second.stream().anyMatch(l -> l.startsWith("progress ")), second.toString());
        assertEquals(0, app.waitFor(30, TimeUnit.SECONDS) ? app.exitValue() : -1);
        assertEquals(TestData.sha256(source), TestData.sha256(target));
        long refetched = nginx.bodyBytesSent("/slow/big.bin");
        assertTrue(refetched < 6L * TestData.MIB + resumedAt, "not fetched from zero twice: " + refetched);
    }
}
