package io.jbits.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A destination on a full file system: a 16 MiB tmpfs the test mounts (root only, as CI runs), half filled. The
 * download stops in TRANSIENT_ERROR saying "disk full", nothing appears under the final name, and once space is
 * freed the job continues from the bytes it kept and ends with the right file.
 */
class DiskFullTest extends EndToEnd {
    private Path mountPoint;

    @AfterEach
    void unmount() {
        if (mountPoint != null) {
            Os.Result r = Os.run(Duration.ofSeconds(30), "umount", mountPoint.toString());
            if (!r.ok()) {
                Os.run(Duration.ofSeconds(30), "umount", "-l", mountPoint.toString());
            }
        }
    }

    @Test
    void aFullDiskIsATransientErrorAndTheJobCompletesOnceSpaceIsFreed() throws Exception {
        if (!Os.isRoot()) {
            throw new AssertionError("DiskFullTest mounts a tmpfs and needs root (CI runs as root)");
        }
        Path disk = Files.createDirectories(dest.resolve("small-disk"));
        Os.Result mounted = Os.run(Duration.ofSeconds(30), "mount", "-t", "tmpfs", "-o", "size=16m,mode=0700",
                "jbits-it-full", disk.toString());
        assertTrue(mounted.ok(), "mount tmpfs: " + mounted);
        mountPoint = disk;
        Path filler = TestData.randomFile(disk.resolve("filler.bin"), 9 * MIB, 20);
        Path source = TestData.randomFile(data.resolve("large.bin"), 12 * MIB + 321, 21);
        startNginx("2m");

        String job = cli.createJob("too big for the disk", "foreground");
        cli.ok("set", job, "--min-retry-delay", "10m");
        Path out = disk.resolve("large.bin");
        cli.ok("add", job, nginx.url("/large.bin"), out.toString());
        cli.ok("resume", job);
        JsonNode failed = cli.awaitState(job, "TRANSIENT_ERROR", STATE_TIMEOUT);

        String message = failed.path("error").path("message").asText();
        assertTrue(message.startsWith("disk full writing " + out), "a clear error: " + failed.path("error"));
        assertTrue(Files.notExists(out), "nothing under the final name");
        List<Path> parts;
        try (var files = Files.list(disk)) {
            parts = files.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
        assertEquals(1, parts.size(), "the partial file is kept to resume: " + parts);
        long kept = Files.size(parts.getFirst());
        assertTrue(kept > 0, "bytes kept before the disk filled: " + kept);

        Files.delete(filler);
        cli.ok("resume", job);
        cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
        complete(job);
        assertSameBytes(source, out);
        List<Nginx.Request> requests = nginx.requests("/large.bin");
        assertTrue(requests.size() >= 2 && requests.getLast().range().startsWith("bytes="),
                "the retry asked for the remaining range: " + requests);
    }
}
