package io.jbits.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.Validator;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.DnsResolver;

/**
 * Coverage-guided fuzzing (Jazzer) of what the download transport makes of a server's answers: status lines, heads,
 * Content-Range and Content-Length combinations, validators, redirects and bodies, served by an in-process socket that
 * writes the fuzzer's bytes ({@link ScriptedAnswers}: answers separated by NUL bytes, one per request; the socket is
 * in memory, so an input costs no thread hand-off and no kernel round trip). The first
 * byte chooses a first request (even) or a resume from byte 100 of a known entity (odd). Every input ends in a body
 * read to its announced end, a {@link TransferFailure} with a BITS code, or an {@link IOException} with a message;
 * never another exception, never a body longer than announced or than what was sent, never a body that ends short
 * of what it announced without an error. A plain test run replays
 * {@code src/test/resources/io/jbits/transport/http/HttpDownloadJazzerTestInputs}.
 */
class HttpDownloadJazzerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MAX_PER_INPUT = Duration.ofSeconds(20);
    private static final String ETAG = "\"e1\"";
    private static final DnsResolver LOOPBACK_ONLY = LoopbackOnlyResolver.INSTANCE;
    private static final ScriptedAnswers SERVER;
    private static final HttpTransport TRANSPORT;

    static {
        SERVER = new ScriptedAnswers();
        TRANSPORT = HttpTransport.create(new HttpTransportConfig(TIMEOUT, TIMEOUT, 4, 16, 0, "fuzz", null, Map.of()),
                LOOPBACK_ONLY, null);
    }

    @FuzzTest(maxDuration = "5m")
    void anAnswerIsABodyOfWhatItAnnouncedOrAClassifiedFailure(byte[] input) throws Exception {
        // Jazzer's SSRF detector lets through connections to loopback only, where the test's server listens
        SilentCloseable loopback = BugDetectors.allowNetworkConnections(
                (host, port) -> host.equals("localhost") || host.startsWith("127.") || host.equals("::1"));
        try {
            fetch(input);
        } finally {
            loopback.close();
        }
    }

    private static void fetch(byte[] input) throws Exception {
        boolean resume = input.length > 0 && (input[0] & 1) == 1;
        List<byte[]> answers = ScriptedAnswers.split(input, Math.min(1, input.length));
        long offset = resume ? 100 : 0;
        Validator known = resume ? new Validator(ETAG, null, 1000) : Validator.NONE;
        URI uri = URI.create("http://127.0.0.1:" + SERVER.port() + "/f");
        long started = System.nanoTime();
        try (InMemorySockets.Scope serving = SERVER.play(answers)) {
            exchange(new RemoteRequest(uri, offset, known, "fuzz", "{}"));
        } catch (RuntimeException e) {
            throw new AssertionError("an answer ended in " + e, e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(MAX_PER_INPUT) < 0, "took " + took);
    }

    private static void exchange(RemoteRequest request) throws Exception {
        RemoteBody body;
        try {
            body = TRANSPORT.open(request);
        } catch (TransferFailure e) {
            assertTrue(e.error().code() != 0 && !e.getMessage().isBlank(), "a failure without a code: " + e);
            return;
        } catch (IOException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "an IOException without a message");
            return;
        }
        try (body) {
            long offset = body.offset();
            assertTrue(offset == 0 || offset == request.offset(), "offset " + offset + " for " + request.offset());
            long size = body.validator().size();
            assertTrue(size < 0 || offset <= size, "offset " + offset + " beyond the size " + size);
            long expected = size < 0 ? -1 : size - offset;
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            long read = 0;
            try {
                for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                    read += n;
                    buffer.clear();
                    if (expected >= 0 && read > expected) {
                        fail("read " + read + " bytes of an entity announced from " + offset + " to " + size);
                    }
                }
            } catch (IOException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "an IOException without a message");
                return;
            }
            assertTrue(read <= SERVER.written(), "read " + read + " bytes of " + SERVER.written() + " sent");
            if (expected >= 0) {
                assertEquals(expected, read, "a body that ended without an error, announced from " + offset + " to "
                        + size);
            }
        }
    }
}
