package io.jbits.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.jbits.it.FaultyServer.Exchange;
import io.jbits.it.FaultyServer.Fault;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fatal and transient errors as BITS reports them, and how a job gets past them. */
class ErrorTest extends EndToEnd {

    @Test
    void aMissingFileStopsTheJobInErrorAndSetRemoteThenResumeCompletesIt() throws Exception {
        Path one = TestData.randomFile(data.resolve("one.bin"), 256 * 1024 + 1, 7);
        Path two = TestData.randomFile(data.resolve("two-real.bin"), MIB + 5, 8);
        Path three = TestData.randomFile(data.resolve("three.bin"), 2 * MIB, 9);
        startNginx("2m");
        String job = cli.createJob("one missing", "normal");
        Path oneOut = add(job, nginx.url("/one.bin"), "one.bin");
        Path twoOut = add(job, nginx.url("/two-missing.bin"), "two.bin");
        Path threeOut = add(job, nginx.url("/three.bin"), "three.bin");
        cli.ok("resume", job);

        JsonNode failed = cli.awaitState(job, "ERROR", STATE_TIMEOUT);
        JsonNode error = failed.path("error");
        assertEquals(404, error.path("httpStatus").asInt(), "httpStatus in " + error);
        assertEquals("0x80190194", error.path("code").asText(), "BITS code of HTTP 404 in " + error);
        assertEquals(1, error.path("fileIndex").asInt(), "the second file failed: " + error);
        JsonNode first = failed.path("files").path(0);

        cli.ok("set-remote", job, "1", nginx.url("/two-real.bin"));
        cli.ok("resume", job);
        JsonNode done = cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
        assertTrue(done.path("error").isNull() || done.path("error").isMissingNode(), "no error left: " + done);
        complete(job);

        assertSameBytes(one, oneOut);
        assertSameBytes(two, twoOut);
        assertSameBytes(three, threeOut);
        // Checked last so that a failure here still shows whether the recovery works.
        assertAll("the file before the failing one was intact when the job stopped in ERROR: " + first,
                () -> assertEquals(Files.size(one), first.path("bytesTransferred").asLong(), "bytesTransferred"),
                () -> assertTrue(first.path("completed").asBoolean(), "completed"));
    }

    @Test
    void twoServiceUnavailableAnswersAreRetriedAfterTheMinimumRetryDelay() throws Exception {
        byte[] content = TestData.randomBytes(3 * TestData.MIB + 7, 10);
        FaultyServer server = closeLater(FaultyServer.start(content,
                List.of(Fault.SERVICE_UNAVAILABLE, Fault.SERVICE_UNAVAILABLE)));
        String job = cli.createJob("flaky", "normal");
        cli.ok("set", job, "--min-retry-delay", "2s");
        Path out = add(job, server.url("flaky.bin"), "flaky.bin");
        cli.ok("resume", job);

        List<JsonNode> transient503 = new ArrayList<>();
        JsonNode done = cli.awaitInfo(job, "TRANSFERRED", TRANSFER_TIMEOUT, info -> {
            if (state(info).equals("TRANSIENT_ERROR")) {
                transient503.add(info);
            }
            return state(info).equals("TRANSFERRED");
        });

        assertEquals(0, server.faultsLeft(), "both 503 answers were played: " + server.exchanges());
        assertTrue(!transient503.isEmpty() || done.path("errorCount").asInt() >= 2,
                "the job went through TRANSIENT_ERROR (seen: " + transient503.size() + ", errorCount "
                        + done.path("errorCount") + ")");
        for (JsonNode seen : transient503) {
            assertEquals(503, seen.path("error").path("httpStatus").asInt(), "transient error: " + seen);
            assertTrue("0x801901F7".equalsIgnoreCase(seen.path("error").path("code").asText()),
                    "BITS code of HTTP 503: " + seen.path("error"));
        }
        complete(job);
        assertEquals(TestData.sha256(content), TestData.sha256(out), "bytes of the flaky download");
    }

    @Test
    void aConnectionResetInTheMiddleOfABodyResumesFromWhereItStopped() throws Exception {
        byte[] content = TestData.randomBytes(8 * TestData.MIB + 3, 11);
        FaultyServer server = closeLater(FaultyServer.start(content, List.of(Fault.RESET_MID_BODY)));
        String job = cli.createJob("reset", "normal");
        cli.ok("set", job, "--min-retry-delay", "1s");
        Path out = add(job, server.url("reset.bin"), "reset.bin");
        cli.ok("resume", job);

        cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
        complete(job);

        assertEquals(TestData.sha256(content), TestData.sha256(out), "bytes after the reset");
        List<Exchange> exchanges = server.exchanges();
        assertEquals(0, server.faultsLeft(), "the reset was played: " + exchanges);
        assertTrue(exchanges.stream().anyMatch(e -> e.method().equals("GET") && e.status() == 206
                        && e.range() != null && !e.range().startsWith("bytes=0-")),
                "the download continued with a Range request after the reset: " + exchanges);
    }
}
