package io.jbits.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Downloads interrupted half-way (the service killed, the job suspended) that must still end with the right bytes. */
class ResumeTest extends EndToEnd {
    /** nginx's per-connection rate on /slow/ and /norange/: a 12 MiB file takes about 6 s. */
    private static final String RATE = "2m";
    /**
     * The job's own cap until it is suspended: the rest of the file takes half a minute, so the suspend lands mid-body
     * however slowly a loaded machine runs the CLI calls between.
     */
    private static final String HOLD = "256k";

    @Test
    void aKilledServiceRestartsOnTheNextCallAndContinuesFromItsCheckpoint() throws Exception {
        Path source = TestData.randomFile(data.resolve("crash.bin"), 12 * MIB + 333, 4);
        startNginx(RATE);
        String job = cli.createJob("crash", "normal");
        Path out = add(job, nginx.url("/slow/crash.bin"), "crash.bin");
        cli.ok("resume", job);
        cli.awaitInfo(job, "past 3 MiB", STATE_TIMEOUT, info -> bytesTransferred(info) > 3 * MIB);

        long killed = cli.kill9Service();

        JsonNode restarted = cli.info(job); // any call starts the service again
        assertNotEquals(killed, cli.servicePid().orElseThrow(), "a new service process");
        assertTrue(List.of("QUEUED", "CONNECTING", "TRANSFERRING", "TRANSFERRED").contains(state(restarted)),
                "an active job is re-queued after a crash: " + restarted);
        cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
        complete(job);

        assertSameBytes(source, out);
        long size = Files.size(source);
        String uri = "/slow/crash.bin";
        // nginx logs a request when it ends; the one cut by the kill ends when nginx notices the dead peer.
        await("nginx logged the requests of " + uri).atMost(Duration.ofSeconds(30))
                .until(() -> nginx.requests(uri).stream().filter(r -> r.bodyBytesSent() > 0).count() >= 2
                        && nginx.bodyBytesSent(uri) >= size);
        long sent = nginx.bodyBytesSent(uri);
        assertTrue(sent <= size + 4 * MIB,
                "bytes nginx sent in all (" + sent + ") should be at most the size (" + size + ") + 4 MiB; requests: "
                        + nginx.requests(uri));
    }

    @Test
    void aRemoteFileReplacedMidDownloadEndsAsTheNewContent() throws Exception {
        Path source = TestData.randomFile(data.resolve("moving.bin"), 10 * MIB, 5);
        startNginx(RATE);
        String job = cli.createJob("moving target", "normal");
        Path out = add(job, nginx.url("/slow/moving.bin"), "moving.bin");
        cli.ok("set", job, "--max-rate", HOLD);
        cli.ok("resume", job);
        cli.awaitInfo(job, "past 2 MiB", STATE_TIMEOUT, info -> bytesTransferred(info) > 2 * MIB);

        long newSize = 7 * MIB + 4_321;
        TestData.replaceAtomically(source, newSize, 6); // new size and mtime: nginx gives a new ETag
        cli.ok("suspend", job);
        cli.awaitState(job, "SUSPENDED", STATE_TIMEOUT);
        cli.ok("set", job, "--max-rate", "off");
        cli.ok("resume", job);
        JsonNode done = cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
        assertEquals(newSize, done.path("bytesTotal").asLong(), "the job knows the new size");
        complete(job);

        assertEquals(newSize, Files.size(out), "size of the final file");
        assertSameBytes(source, out);
    }

    @Test
    void aServerThatIgnoresRangeStillGivesTheRightBytesAfterAnInterruption() throws Exception {
        Path source = TestData.randomFile(data.resolve("whole.bin"), 8 * MIB + 99, 7);
        startNginx(RATE);
        String job = cli.createJob("no range", "normal");
        Path out = add(job, nginx.url("/norange/whole.bin"), "whole.bin");
        cli.ok("set", job, "--max-rate", HOLD);
        cli.ok("resume", job);
        cli.awaitInfo(job, "past 2 MiB", STATE_TIMEOUT, info -> bytesTransferred(info) > 2 * MIB);

        cli.ok("suspend", job);
        cli.awaitState(job, "SUSPENDED", STATE_TIMEOUT);
        cli.ok("set", job, "--max-rate", "off");
        cli.ok("resume", job);
        cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
        complete(job);

        assertSameBytes(source, out);
        assertTrue(nginx.requests("/norange/whole.bin").stream().noneMatch(r -> r.status() == 206),
                "the location never honours Range: " + nginx.requests("/norange/whole.bin"));
        assertEquals(List.of("whole.bin"), destinationNames(), "no temporaries left");
    }
}
