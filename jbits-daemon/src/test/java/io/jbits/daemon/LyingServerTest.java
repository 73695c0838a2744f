package io.jbits.daemon;

import static io.jbits.daemon.LyingServer.head;
import static io.jbits.daemon.LyingServer.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.BitsCodes;
import io.jbits.api.JobError;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers that lie about lengths and ranges, never stop talking, never start, or speak garbage: each job ends in
 * ERROR (after its no-progress timeout) or TRANSFERRED with the announced bytes, within seconds, with the BITS code
 * and a message naming the URL, the client reading a bounded number of bytes, and no wrong byte under a final name.
 */
class LyingServerTest {
    /** Retries every second, 3 s without progress, 2 s response timeout: every case ends well within this. */
    private static final Duration ENDS_WITHIN = Duration.ofSeconds(30);
    /**
     * What a server may get written of an endless answer before the client stops reading: far below the heap, above
     * what the loopback socket buffers of both ends hold (a few MiB when autotuned).
     */
    private static final long BOUNDED_BYTES = 32L << 20;
    private static final byte[] ENTITY = bytes(1000, 3);

    @TempDir
    Path state;
    @TempDir
    Path dest;
    private HostileEngine jbits;
    private LyingServer server;

    @BeforeEach
    void start() throws Exception {
        jbits = new HostileEngine(state, dest);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            jbits.close();
        }
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** Runs one download against {@code script} and returns the job when it stops in ERROR or TRANSFERRED. */
    private JobInfo downloadFrom(LyingServer.Script script) throws Exception {
        server = LyingServer.start(script);
        String id = jbits.download("f.bin", server.url("f.bin"));
        return jbits.await(id, ENDS_WITHIN, JobState.ERROR, JobState.TRANSFERRED);
    }

    /** ERROR with {@code code}, a message naming the URL and {@code words}, and no file under the final name. */
    private void assertFailed(JobInfo job, int code, String... words) {
        assertEquals(JobState.ERROR, job.state(), "state of " + job);
        JobError error = job.error();
        assertEquals(code, error.code(), "code of " + error);
        assertTrue(error.message().contains(server.url("f.bin")), "the message names the URL: " + error.message());
        for (String word : words) {
            assertTrue(error.message().contains(word), "the message says '" + word + "': " + error.message());
        }
        assertFalse(error.message().contains("\n"), "one line: " + error.message());
        assertFalse(Files.exists(dest.resolve("f.bin")), "nothing under the final name");
        jbits.engine.cancel(job.id());
        assertEquals(List.of(), jbits.destNames(), "cancel leaves nothing behind");
    }

    @Test
    void a206ThatStartsElsewhereThanAskedIsAnInvalidServerResponse() throws Exception {
        JobInfo job = downloadFrom((request, socket, out) -> {
            write(out, head(206, "Content-Range: bytes 100-999/1000\r\nContent-Length: 900\r\n"));
            out.write(ENTITY, 100, 900);
        });
        assertFailed(job, BitsCodes.BG_E_INVALID_SERVER_RESPONSE, "starts at byte 100");
        assertTrue(job.errorCount() >= 2, "retried before giving up: " + job.errorCount());
    }

    @Test
    void a206WhoseLengthDisagreesWithItsRangeIsAnInvalidServerResponse() throws Exception {
        JobInfo job = downloadFrom((request, socket, out) -> {
            write(out, head(206, "Content-Range: bytes 0-999/1000\r\nContent-Length: 500\r\n"));
            out.write(ENTITY, 0, 500);
        });
        assertFailed(job, BitsCodes.BG_E_INVALID_SERVER_RESPONSE, "Content-Length 500");
    }

    @Test
    void a206WithAnImpossibleRangeIsAnInvalidServerResponse() throws Exception {
        JobInfo job = downloadFrom((request, socket, out) -> {
            write(out, head(206, "Content-Range: bytes 0-999/10\r\nContent-Length: 1000\r\n"));
            out.write(ENTITY);
        });
        assertFailed(job, BitsCodes.BG_E_INVALID_SERVER_RESPONSE, "impossible Content-Range");
    }

    @Test
    void a206WithoutContentRangeIsAnInvalidServerResponse() throws Exception {
        JobInfo job = downloadFrom((request, socket, out) -> {
            write(out, head(206, "Content-Length: 1000\r\n"));
            out.write(ENTITY);
        });
        assertFailed(job, BitsCodes.BG_E_INVALID_SERVER_RESPONSE, "no Content-Range");
    }

    @Test
    void aBodyShorterThanItsContentLengthEndsInErrorWithoutAFinalFile() throws Exception {
        JobInfo job = downloadFrom((request, socket, out) -> {
            write(out, head(200, "Content-Length: 1000\r\nConnection: close\r\n"));
            out.write(ENTITY, 0, 400);
        });
        assertFailed(job, BitsCodes.BG_E_CONNECTION_CLOSED, "after 400 of 1000 bytes");
    }

    @Test
    void aBodyLongerThanItsContentLengthKeepsOnlyTheAnnouncedBytesAndDoesNotPoisonTheNextFile() throws Exception {
        byte[] longer = bytes(3000, 4);
        server = LyingServer.start((request, socket, out) -> {
            write(out, head(200, "Content-Length: 1000\r\n"));
            out.write(longer);
        });
        String id = jbits.download("f.bin", server.url("a"), server.url("b"), server.url("c"));
        JobInfo job = jbits.await(id, ENDS_WITHIN, JobState.ERROR, JobState.TRANSFERRED);
        assertEquals(JobState.TRANSFERRED, job.state(), "the announced entities arrived: " + job);
        jbits.engine.complete(id);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(Arrays.copyOf(longer, 1000), Files.readAllBytes(dest.resolve("f.bin-" + i)),
                    "exactly the announced 1000 bytes of file " + i + ", none of the extra ones");
        }
    }

    @Test
    void bytesBeyondTheContentLengthThatFormAWholeAnswerAreNotTakenAsTheNextFile() throws Exception {
        byte[] forged = bytes(1000, 6);
        server = LyingServer.start((request, socket, out) -> {
            write(out, head(200, "Content-Length: 1000\r\n"));
            out.write(bytes(1000, request.path().hashCode()));
            if (request.path().equals("/a")) {
                // a whole second answer nobody asked for, then the connection kept open for the next request
                write(out, head(200, "Content-Length: 1000\r\n"));
                out.write(forged);
                out.flush();
                socket.setSoTimeout(20_000);
                byte[] ignored = new byte[4096];
                while (socket.getInputStream().read(ignored) >= 0) {
                    // a request sent on this connection gets no answer of its own: only the forged one
                }
            }
        });
        // One job after the other, so the second finds the first one's connection back in the pool.
        for (String name : List.of("a", "b", "c")) {
            String id = jbits.download(name + ".bin", server.url(name));
            JobInfo job = jbits.await(id, ENDS_WITHIN, JobState.ERROR, JobState.TRANSFERRED);
            assertEquals(JobState.TRANSFERRED, job.state(), "the file arrived: " + job);
            jbits.engine.complete(id);
            assertArrayEquals(bytes(1000, ("/" + name).hashCode()), Files.readAllBytes(dest.resolve(name + ".bin")),
                    name + " holds its own answer, not the forged one");
        }
    }

    @Test
    void aBodyWithoutLengthThatNeverEndsGrowsOnDiskNotInMemoryAndCancelLeavesNothing() throws Exception {
        server = LyingServer.start((request, socket, out) -> {
            write(out, head(200, "Connection: close\r\n"));
            byte[] more = bytes(64 * 1024, 6);
            for (long sent = 0; sent < (1L << 34); sent += more.length) {
                out.write(more);
            }
        });
        String id = jbits.download("f.bin", server.url("f.bin"));
        Runtime rt = Runtime.getRuntime();
        long usedBefore = rt.totalMemory() - rt.freeMemory();
        org.awaitility.Awaitility.await().atMost(ENDS_WITHIN)
                .until(() -> jbits.engine.job(id).bytesTransferred() > 64L << 20);
        System.gc();
        long grown = rt.totalMemory() - rt.freeMemory() - usedBefore;
        assertEquals(JobState.TRANSFERRING, jbits.engine.job(id).state(), "a body without length may be long");
        assertTrue(grown < 48L << 20, "64 MiB downloaded, heap grew by " + grown + " bytes");
        jbits.engine.cancel(id);
        assertEquals(List.of(), jbits.destNames(), "cancel deletes the temporary");
    }

    @Test
    void aBodyThatNeverEndsAfterItsAnnouncedLengthIsCutThere() throws Exception {
        JobInfo job = downloadFrom((request, socket, out) -> {
            write(out, head(200, "Content-Length: 1000\r\n"));
            out.write(ENTITY);
            byte[] more = new byte[64 * 1024];
            for (long sent = 0; sent < (1L << 30); sent += more.length) {
                out.write(more);
            }
        });
        assertEquals(JobState.TRANSFERRED, job.state(), "the announced entity arrived: " + job);
        jbits.engine.complete(job.id());
        assertArrayEquals(ENTITY, Files.readAllBytes(dest.resolve("f.bin")), "the announced bytes only");
        assertTrue(server.bytesWritten() < BOUNDED_BYTES, "the client stopped reading the endless rest after "
                + server.bytesWritten() + " bytes");
    }

    @Test
    void endlessHeadersAreRefusedAfterABoundedAmount() throws Exception {
        JobInfo job = downloadFrom((request, socket, out) -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n");
            for (long i = 0; i < 10_000_000; i++) {
                write(out, "X-Padding-" + i + ": " + "a".repeat(100) + "\r\n");
            }
        });
        assertFailed(job, BitsCodes.BG_E_INVALID_SERVER_RESPONSE, "header count");
        assertTrue(server.bytesWritten() < BOUNDED_BYTES * server.requests().size(),
                "each answer was dropped after a bounded head: " + server.bytesWritten() + " bytes for "
                        + server.requests().size() + " requests");
    }

    @Test
    void anEndlessHeaderLineIsRefusedAfterABoundedAmount() throws Exception {
        JobInfo job = downloadFrom((request, socket, out) -> {
            write(out, "HTTP/1.1 200 OK\r\nX-Endless: ");
            byte[] a = "a".repeat(64 * 1024).getBytes();
            for (long sent = 0; sent < (1L << 30); sent += a.length) {
                out.write(a);
            }
        });
        assertFailed(job, BitsCodes.BG_E_INVALID_SERVER_RESPONSE, "line length");
        assertTrue(server.bytesWritten() < BOUNDED_BYTES * server.requests().size(),
                "each answer was dropped after a bounded head: " + server.bytesWritten() + " bytes for "
                        + server.requests().size() + " requests");
    }

    @Test
    void endlessRedirectsAreAFatalRedirectFailure() throws Exception {
        JobInfo job = downloadFrom((request, socket, out) -> {
            String next = request.path().equals("/f.bin") ? "/r1" : "/r" + (Integer.parseInt(
                    request.path().substring(2)) + 1);
            write(out, "HTTP/1.1 302 Found\r\nLocation: " + next + "\r\nContent-Length: 0\r\n\r\n");
        });
        assertFailed(job, BitsCodes.E_REDIRECT_FAILED, "too many redirects");
        assertEquals(1, job.errorCount(), "fatal at once, not retried");
        assertEquals(11, server.requests().size(), "the first request and ten redirects: " + server.requests());
    }

    @Test
    void aServerThatStallsAfterTheHeadersTimesOut() throws Exception {
        JobInfo job = downloadFrom((request, socket, out) -> {
            write(out, head(200, "Content-Length: 1000\r\n"));
            out.write(ENTITY, 0, 10);
            out.flush();
            Thread.sleep(60_000);
        });
        assertFailed(job, BitsCodes.E_TIMEOUT, "timed out");
    }

    @Test
    void aServerThatDripsItsHeadTooSlowlyIsCutAtTheResponseTimeout() throws Exception {
        JobInfo job = downloadFrom((request, socket, out) -> {
            String head = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nX-Slow: " + "a".repeat(1000) + "\r\n\r\n";
            for (int i = 0; i < head.length(); i++) {
                out.write(head.charAt(i));
                out.flush();
                Thread.sleep(300); // well within the 2 s socket timeout, every time
            }
            out.write(ENTITY);
        });
        assertFailed(job, BitsCodes.E_TIMEOUT, "no complete answer head");
    }

    @Test
    void aResumeAnswered206FromTheWrongByteIsAnInvalidServerResponseAndKeepsTheBytesHeld() throws Exception {
        JobInfo job = downloadFrom((request, socket, out) -> {
            if (request.header("Range") == null) {
                write(out, head(200, "Content-Length: 1000\r\nETag: \"v1\"\r\n"));
                out.write(ENTITY, 0, 600);
                out.flush();
                socket.setSoLinger(true, 0); // a reset after 600 bytes
                return;
            }
            write(out, head(206, "Content-Range: bytes 0-999/1000\r\nContent-Length: 1000\r\nETag: \"v1\"\r\n"));
            out.write(ENTITY);
        });
        assertTrue(server.requests().stream().anyMatch(r -> "bytes=600-".equals(r.header("Range"))),
                "the resume asked from byte 600: " + server.requests());
        assertEquals(600, job.bytesTransferred(), "the 600 good bytes are kept, none of the misplaced ones");
        assertFailed(job, BitsCodes.BG_E_INVALID_SERVER_RESPONSE, "starts at byte 0, asked for 600");
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        JobInfo job = downloadFrom((request, socket, out) -> Thread.sleep(60_000));
        assertFailed(job, BitsCodes.E_TIMEOUT, "response timeout");
    }

    /**
     * HttpClient skips lines that are not a status line before the real one (as RFC 9112 lets a client skip empty
     * lines), up to its limit: a garbage status line followed by the end of the connection is a server that closed
     * without an answer.
     */
    @Test
    void aGarbageStatusLineAndThenTheEndIsAConnectionClosedWithoutAnAnswer() throws Exception {
        JobInfo job = downloadFrom((request, socket, out) -> write(out,
                "HTTP/1.1 2OO Okay\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(1000)));
        assertFailed(job, BitsCodes.BG_E_CONNECTION_CLOSED, "without an answer");
    }

    @Test
    void aFewGarbageLinesAndThenTheEndAreAConnectionClosedWithoutAnAnswer() throws Exception {
        JobInfo job = downloadFrom((request, socket, out) -> write(out, "HELLO THERE\r\nfoo\r\n\r\n"));
        assertFailed(job, BitsCodes.BG_E_CONNECTION_CLOSED, "without an answer");
    }

    @Test
    void binaryGarbageInsteadOfAnAnswerIsAnInvalidServerResponse() throws Exception {
        byte[] garbage = bytes(100_000, 5);
        JobInfo job = downloadFrom((request, socket, out) -> out.write(garbage));
        assertFailed(job, BitsCodes.BG_E_INVALID_SERVER_RESPONSE, "invalid HTTP answer");
    }
}
