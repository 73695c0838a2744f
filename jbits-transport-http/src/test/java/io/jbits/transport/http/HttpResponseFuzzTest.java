package io.jbits.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.Validator;
import io.jbits.testsupport.Fuzz;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.DnsResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mutated HTTP answers, fed by a raw socket server to the download transport: every one ends in a body read to its
 * end, a {@link TransferFailure} or an {@link IOException}, never another exception, within a few response
 * timeouts, and a body never yields more bytes than it announced. Run long with {@code -Dfuzz.inputs=1000000}.
 */
class HttpResponseFuzzTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** A mutated answer may make the client wait for bytes that never come, once per request it sends. */
    private static final Duration MAX_PER_INPUT = Duration.ofSeconds(15);
    private static final byte[] ENTITY = Bodies.random(1000, 11);
    private static final String ETAG = "\"e1\"";

    private static final DnsResolver LOOPBACK_ONLY = LoopbackOnlyResolver.INSTANCE;

    private final Map<String, byte[]> answers = new ConcurrentHashMap<>();
    private ServerSocket listener;
    private HttpTransport transport;

    @BeforeEach
    void start() throws IOException {
        listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("fuzz-server").start(this::acceptLoop);
        transport = HttpTransport.create(new HttpTransportConfig(TIMEOUT, TIMEOUT, 4, 16, 0, "fuzz"), LOOPBACK_ONLY,
                null);
        answers.put("/ok", response("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nETag: " + ETAG + "\r\n\r\n", ENTITY));
    }

    @AfterEach
    void stop() throws IOException {
        transport.close();
        listener.close();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            socket.setSoTimeout(10_000);
            String line = readHead(in);
            if (line == null) {
                return;
            }
            String[] parts = line.split(" ");
            byte[] answer = parts.length > 1 ? answers.get(parts[1]) : null;
            if (answer != null) {
                out.write(answer);
                out.flush();
            }
        } catch (IOException e) {
            // the client hung up
        }
    }

    /** Reads a request head; returns its first line, or null at the end of the stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            state = (b == '\n') ? state + 1 : (b == '\r' ? state : 0);
            if (state == 2) {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                return text.substring(0, text.indexOf('\r') < 0 ? text.indexOf('\n') : text.indexOf('\r'));
            }
            if (head.size() > 65_536) {
                return null;
            }
        }
        return null;
    }

    private static byte[] response(String head, byte[] body) {
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** Valid answers to mutate: the statuses and framings a download meets. */
    private static List<byte[]> corpus() {
        byte[] tail = java.util.Arrays.copyOfRange(ENTITY, 100, 1000);
        String common = "ETag: " + ETAG + "\r\nLast-Modified: Wed, 01 Jan 2025 00:00:00 GMT\r\n";
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        chunked.writeBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n".getBytes());
        chunked.writeBytes(ENTITY);
        chunked.writeBytes("\r\n0\r\n\r\n".getBytes());
        return List.of(
                response("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n" + common + "\r\n", ENTITY),
                response("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 100-999/1000\r\nContent-Length: 900\r\n"
                        + common + "\r\n", tail),
                response("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-999/1000\r\nContent-Length: 1000\r\n"
                        + "\r\n", ENTITY),
                chunked.toByteArray(),
                response("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */1000\r\nContent-Length: 0\r\n"
                        + "\r\n", new byte[0]),
                response("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */100\r\nContent-Length: 0\r\n"
                        + "\r\n", new byte[0]),
                response("HTTP/1.1 302 Found\r\nLocation: /ok\r\nContent-Length: 0\r\n\r\n", new byte[0]),
                response("HTTP/1.1 301 Moved\r\nLocation: http://127.0.0.1:1/ok\r\nContent-Length: 3\r\n\r\n",
                        "abc".getBytes()),
                response("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\n", "not found".getBytes()),
                response("HTTP/1.1 503 Busy\r\nRetry-After: 5\r\nContent-Length: 0\r\n\r\n", new byte[0]),
                response("HTTP/1.0 200 OK\r\n" + common + "\r\n", ENTITY),
                response("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", ENTITY));
    }

    @Test
    void mutatedAnswersEndInABodyOrAClassifiedFailureAndNeverYieldMoreThanAnnounced() throws Exception {
        Fuzz fuzz = Fuzz.start("http-response", 1500);
        List<byte[]> corpus = corpus();
        int tried = 0;
        for (int n = 0; n < fuzz.inputs(); n++) {
            SplittableRandom r = fuzz.random(n);
            byte[] answer = Fuzz.mutate(r, Fuzz.pick(r, corpus));
            String path = "/i" + n;
            answers.put(path, answer);
            long offset = r.nextBoolean() ? 0 : 100;
            Validator known = offset == 0 ? Validator.NONE : new Validator(ETAG, null, 1000);
            String input = new String(answer, StandardCharsets.ISO_8859_1);
            long started = System.nanoTime();
            try {
                exchange(URI.create("http://127.0.0.1:" + listener.getLocalPort() + path), offset, known, answer.length,
                        fuzz.where(n, input));
            } catch (RuntimeException | Error e) {
                throw new AssertionError(fuzz.where(n, input) + " threw " + e, e);
            } finally {
                answers.remove(path);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(MAX_PER_INPUT) < 0, fuzz.where(n, input) + " took " + took);
            tried++;
        }
        fuzz.done(tried);
        assertEquals(fuzz.inputs(), tried);
        // The pool is not poisoned: a plain answer still arrives whole.
        long[] read = new long[1];
        exchange(URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/ok"), 0, Validator.NONE,
                Long.MAX_VALUE, "after the run", read);
        assertEquals(1000, read[0], "a valid answer after the run");
    }

    private void exchange(URI uri, long offset, Validator known, long answerBytes, String where) throws Exception {
        exchange(uri, offset, known, answerBytes, where, new long[1]);
    }

    private void exchange(URI uri, long offset, Validator known, long answerBytes, String where, long[] read)
            throws Exception {
        RemoteBody body;
        try {
            // One owner per input, so no input reuses another's pooled connection: a lease drops a connection with
            // bytes left over (StrictReuse), but bytes a mutant sends beyond its Content-Length that are still in
            // flight at the lease would be read as the next input's answer (see the README, hostile input)
            body = transport.open(new RemoteRequest(uri, offset, known, "owner-" + uri.getPath(), "{}"));
        } catch (TransferFailure | IOException e) {
            assertOneLine(where, e.getMessage());
            return;
        }
        try (body) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            long expected = body.validator().size() < 0 ? -1 : body.validator().size() - body.offset();
            try {
                for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                    read[0] += n;
                    buffer.clear();
                    if (expected >= 0 && read[0] > expected) {
                        fail(where + ": read " + read[0] + " bytes of an entity announced from " + body.offset()
                                + " to " + body.validator().size());
                    }
                }
            } catch (IOException e) {
                assertOneLine(where, e.getMessage());
            }
            // after a redirect the body is the answer of the path it led to
            long bound = "/ok".equals(body.finalUri().getPath()) ? answers.get("/ok").length : answerBytes;
            assertTrue(read[0] <= bound, where + ": read " + read[0] + " bytes of a " + bound + "-byte answer");
            assertTrue(body.offset() >= 0, where + ": offset " + body.offset());
        }
    }

    private static void assertOneLine(String where, String message) {
        assertTrue(message != null && !message.isBlank(), where + ": a failure without a message");
    }
}
