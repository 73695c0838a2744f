package io.jbits.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's HTTP/1.1 exchange against a scripted server on a Unix socket: the request as written, and each way an
 * answer's body can end (length, chunks, end of connection), refusals, an answer that stops and a socket nobody
 * listens on.
 */
class UnixHttpTest {
    @TempDir
    Path dir;
    private ServerSocketChannel server;

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** Serves one connection: reads the request's head (and a body of the length it names), writes {@code answer}. */
    private CompletableFuture<String> serveOnce(Function<String, byte[]> answer, boolean closeAfter) throws IOException {
        Path socket = dir.resolve("s.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return CompletableFuture.supplyAsync(() -> {
            try (SocketChannel c = server.accept()) {
                String request = readRequest(c);
                c.write(ByteBuffer.wrap(answer.apply(request)));
                if (!closeAfter) {
                    Thread.sleep(3_000);
                }
                return request;
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String readRequest(SocketChannel c) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (true) {
            String s = seen.toString(StandardCharsets.UTF_8);
            int end = s.indexOf("\r\n\r\n");
            if (end >= 0) {
                int length = 0;
                for (String line : s.substring(0, end).split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).strip());
                    }
                }
                if (seen.size() >= end + 4 + length) {
                    return s;
                }
            }
            buf.clear();
            if (c.read(buf) < 0) {
                return seen.toString(StandardCharsets.UTF_8);
            }
            seen.write(buf.array(), 0, buf.position());
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Path socket() {
        return dir.resolve("s.sock");
    }

    @Test
    void writesTheRequestAndReadsABodyOfKnownLength() throws Exception {
        CompletableFuture<String> request = serveOnce(r -> ascii(
                "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nJbits-Position: 42\r\n"
                        + "Content-Length: 11\r\n\r\n{\"id\":\"j\"}\n"), true);
        UnixHttp.Response r = UnixHttp.exchange(socket(), "POST", "/v1/jobs?x=1", Map.of("Accept", "application/json"),
                "application/json", ascii("{\"name\":\"n\"}"), 5_000);
        assertEquals(201, r.status());
        assertEquals("42", r.header("jbits-position"));
        try (InputStream in = r.body()) {
            assertEquals("{\"id\":\"j\"}\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        String sent = request.get(5, TimeUnit.SECONDS);
        assertTrue(sent.startsWith("POST /v1/jobs?x=1 HTTP/1.1\r\n"), sent);
        assertTrue(sent.contains("\r\nAccept: application/json\r\n"), sent);
        assertTrue(sent.contains("\r\nContent-Length: 12\r\n"), sent);
        assertTrue(sent.endsWith("\r\n\r\n{\"name\":\"n\"}"), sent);
    }

    @Test
    void readsAChunkedBodyAndSkipsAnInterimAnswer() throws Exception {
        serveOnce(r -> ascii("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n"), false);
        UnixHttp.Response r = UnixHttp.exchange(socket(), "GET", "/v1/jobs", Map.of(), null, null, 5_000);
        assertEquals(200, r.status());
        try (InputStream in = r.body()) {
            // the server keeps the connection open: the body ends at the last chunk, not at the end of the stream
            assertEquals("hello, world", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void readsABodyUpToTheEndOfTheConnection() throws Exception {
        byte[] big = new byte[100_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        serveOnce(r -> {
            byte[] head = ascii("HTTP/1.1 200 OK\r\n\r\n");
            byte[] all = new byte[head.length + big.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(big, 0, all, head.length, big.length);
            return all;
        }, true);
        UnixHttp.Response r = UnixHttp.exchange(socket(), "GET", "/", Map.of(), null, null, 5_000);
        try (InputStream in = r.body()) {
            assertArrayEquals(big, in.readAllBytes());
        }
    }

    @Test
    void aCutBodyIsAnError() throws Exception {
        serveOnce(r -> ascii("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"), true);
        UnixHttp.Response r = UnixHttp.exchange(socket(), "GET", "/", Map.of(), null, null, 5_000);
        try (InputStream in = r.body()) {
            assertThrows(IOException.class, in::readAllBytes);
        }
    }

    @Test
    void anAnswerThatStopsComingTimesOut() throws Exception {
        serveOnce(r -> ascii("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"), false);
        UnixHttp.Response r = UnixHttp.exchange(socket(), "GET", "/", Map.of(), null, null, 600);
        try (InputStream in = r.body()) {
            assertThrows(UnixHttp.IdleTimeoutException.class, in::readAllBytes);
        }
    }

    @Test
    void aHeadThatNeverComesTimesOut() throws Exception {
        serveOnce(r -> new byte[0], false);
        assertThrows(UnixHttp.IdleTimeoutException.class,
                () -> UnixHttp.exchange(socket(), "GET", "/", Map.of(), null, null, 600));
    }

    @Test
    void somethingThatIsNotHttpIsRefused() throws Exception {
        serveOnce(r -> ascii("SSH-2.0-OpenSSH\r\n\r\n"), true);
        IOException e = assertThrows(IOException.class,
                () -> UnixHttp.exchange(socket(), "GET", "/", Map.of(), null, null, 5_000));
        assertTrue(e.getMessage().contains("not an HTTP answer"), e.getMessage());
    }

    @Test
    void aRefusalComesBackAsTheServicesError() {
        var e = ServiceHttp.refusal(404, ascii("{\"code\":\"0x80200001\",\"message\":\"no such job\"}"));
        assertEquals("no such job", e.getMessage());
        assertEquals(0x80200001, e.code());
        var unreadable = ServiceHttp.refusal(502, ascii("<html>bad gateway</html>"));
        assertTrue(unreadable.getMessage().contains("HTTP 502"), unreadable.getMessage());
    }

    @Test
    void noServiceOnTheSocketIsAnIOException() {
        assertThrows(IOException.class,
                () -> UnixHttp.exchange(dir.resolve("nobody.sock"), "GET", "/", Map.of(), null, null, 5_000));
    }
}
