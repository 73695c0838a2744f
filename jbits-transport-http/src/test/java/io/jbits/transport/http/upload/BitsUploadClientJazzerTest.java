package io.jbits.transport.http.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.UploadOutcome;
import io.jbits.spi.UploadProgress;
import io.jbits.spi.UploadRequest;
import io.jbits.transport.http.HttpTransportConfig;
import io.jbits.transport.http.InMemorySockets;
import io.jbits.transport.http.LoopbackOnlyResolver;
import io.jbits.transport.http.ScriptedAnswers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.DnsResolver;

/**
 * Coverage-guided fuzzing (Jazzer) of the BITS upload client's handling of the server's answers: Acks, their
 * session ids, received ranges, host ids, reply URLs and error headers, and plain HTTP errors, served by an in-process
 * socket that writes the fuzzer's bytes ({@link ScriptedAnswers}: one answer per packet, separated by NUL bytes; the
 * socket is in memory, so an input costs no thread hand-off and no kernel round trip).
 * The first byte's bits choose an upload-reply job (1) and a Cancel-Session after the upload (2). Every input ends
 * in an outcome whose acknowledged bytes never pass the file's size (complete only when all of it is
 * acknowledged), a {@link TransferFailure} with a BITS code or an {@link IOException} with a message; never another
 * exception, and never more packets than answers and bounded retries. A plain test run replays
 * {@code src/test/resources/io/jbits/transport/http/upload/BitsUploadClientJazzerTestInputs}.
 */
class BitsUploadClientJazzerTest {
    private static final long FILE_BYTES = 1000;
    private static final Duration MAX_PER_INPUT = Duration.ofSeconds(20);
    private static final DnsResolver LOOPBACK_ONLY = LoopbackOnlyResolver.INSTANCE;
    private static final ScriptedAnswers SERVER;
    private static final BitsUploadClient CLIENT;
    private static final Path FILE;

    static {
        try {
            SERVER = new ScriptedAnswers();
            HttpTransportConfig config = new HttpTransportConfig(Duration.ofSeconds(1), Duration.ofSeconds(1), 4, 16,
                    0, "fuzz", null, Map.of());
            CLIENT = BitsUploadClient.create(config, Clock.systemUTC(),
                    d -> { }, LOOPBACK_ONLY);
            FILE = Files.createTempFile("jbits-upload-fuzz", ".bin");
            Files.write(FILE, new byte[(int) FILE_BYTES]);
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records what the client reports. */
    private static final class Progress implements UploadProgress {
        final List<Long> acks = new ArrayList<>();
        String state = "{}";

        @Override
        public void sessionChanged(String sessionState) {
            assertTrue(sessionState != null && sessionState.startsWith("{"), "a session state " + sessionState);
            state = sessionState;
        }

        @Override
        public void acknowledged(long bytes) {
            assertTrue(bytes >= 0 && bytes <= FILE_BYTES, "acknowledged " + bytes + " of a " + FILE_BYTES
                    + "-byte file");
            acks.add(bytes);
        }

        @Override
        public boolean stopRequested() {
            return false;
        }
    }

    @FuzzTest(maxDuration = "5m")
    void anUploadEndsInAnOutcomeWithinTheFileOrAClassifiedFailure(byte[] input) {
        // Jazzer's SSRF detector lets through connections to loopback only, where the test's server listens
        SilentCloseable loopback = BugDetectors.allowNetworkConnections(
                (host, port) -> host.equals("localhost") || host.startsWith("127.") || host.equals("::1"));
        try {
            upload(input);
        } finally {
            loopback.close();
        }
    }

    private static void upload(byte[] input) {
        int flags = input.length > 0 ? input[0] : 0;
        List<byte[]> answers = ScriptedAnswers.split(input, Math.min(1, input.length));
        URI url = URI.create("http://127.0.0.1:" + SERVER.port() + "/up/f.bin");
        UploadRequest request = new UploadRequest(url, FILE, FILE_BYTES, "{}", (flags & 1) != 0, "fuzz", "{}");
        Progress progress = new Progress();
        long started = System.nanoTime();
        try (InMemorySockets.Scope serving = SERVER.play(answers)) {
            UploadOutcome outcome = CLIENT.upload(request, progress);
            assertTrue(!outcome.complete() || progress.acks.isEmpty()
                    || progress.acks.get(progress.acks.size() - 1) == FILE_BYTES,
                    "complete with " + progress.acks + " acknowledged");
            if (outcome.complete()) {
                assertTrue(!progress.acks.isEmpty(), "complete without an Ack of its bytes");
                assertEquals(FILE_BYTES, progress.acks.get(progress.acks.size() - 1), "the last Ack of a complete one");
            }
            if ((flags & 2) != 0) {
                CLIENT.cancelSession(request.withSessionState(outcome.sessionState()));
            }
        } catch (TransferFailure e) {
            assertTrue(e.error().code() != 0 && !e.getMessage().isBlank(), "a failure without a code: " + e);
        } catch (IOException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "an IOException without a message: " + e);
        } catch (RuntimeException e) {
            throw new AssertionError("an upload ended in " + e, e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(MAX_PER_INPUT) < 0, "took " + took);
        assertTrue(SERVER.requests() <= answers.size() + 2 * BitsUploadClient.END_ATTEMPTS + 4,
                SERVER.requests() + " packets for " + answers.size() + " answers");
    }
}
