package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notification of a server application (a JDK HttpServer here) by reference and by value, the reply it returns
 * served at BITS-Reply-URL until Close-Session, and the application's failures passed to the client
 * (docs/bits.md §8.7).
 */
class UploadNotificationTest {

    @TempDir
    Path temp;

    private Path uploads;
    private HttpServer application;
    private UploadServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private final AtomicInteger nextStatus = new AtomicInteger(200);
    private final AtomicReference<Map<String, String>> extraHeaders = new AtomicReference<>(Map.of());
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void startApplication() throws IOException {
        uploads = Files.createDirectories(temp.resolve("uploads"));
        application = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        application.createContext("/app", this::respond);
        application.createContext("/slow", exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        application.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
        application.stop(0);
        http.close();
    }

    /** By value: the reply is "got <sha256>"; by reference: the same, written into the response file. */
    private void respond(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        seen.put("method", exchange.getRequestMethod());
        seen.put("query", String.valueOf(exchange.getRequestURI().getQuery()));
        exchange.getRequestHeaders().forEach((name, values) -> seen.put(name.toLowerCase(), values.getFirst()));
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        seen.put("bodyLength", Integer.toString(body.length));
        String requestFile = exchange.getRequestHeaders().getFirst("BITS-Request-DataFile-Name");
        byte[] uploaded = requestFile == null ? body : Files.readAllBytes(Path.of(requestFile));
        byte[] reply = ("got " + TestData.sha256(uploaded)).getBytes(StandardCharsets.UTF_8);
        extraHeaders.get().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        int status = nextStatus.get();
        if (requestFile != null) {
            Files.write(Path.of(exchange.getRequestHeaders().getFirst("BITS-Response-DataFile-Name")), reply);
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, reply.length);
            exchange.getResponseBody().write(reply);
        }
        exchange.close();
    }

    private BitsWire start(NotifyType type, String path, Duration notifyTimeout) throws IOException {
        URI notifyUrl = URI.create("http://127.0.0.1:" + application.getAddress().getPort() + path);
        server = UploadServer.start(temp.resolve("served"), UploadConfig.of(uploads).withNotification(notifyUrl, type),
                notifyTimeout);
        return server.wire();
    }

    private HttpResponse<byte[]> get(String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void byValueTheApplicationGetsTheFileAndItsReplyIsServedUntilClose() throws Exception {
        byte[] data = TestData.randomBytes(300_000, 31);
        try (BitsWire wire = start(NotifyType.BY_VALUE, "/app", BitsUploadHandler.NOTIFY_TIMEOUT)) {
            String id = wire.createSession("/reports/r1.bin?tx=42");
            BitsWire.Reply first = wire.fragment("/reports/r1.bin?tx=42", id, data, 0, 100_000);
            BitsWire.Reply last = wire.fragment("/reports/r1.bin?tx=42", id, data, 100_000, 200_000);

            assertNull(first.header("BITS-Reply-URL"));
            assertEquals(200, last.status());
            String replyUrl = last.header("BITS-Reply-URL");
            byte[] expected = ("got " + TestData.sha256(data)).getBytes(StandardCharsets.UTF_8);
            assertEquals("POST", seen.get("method"));
            assertEquals("tx=42", seen.get("query"));
            assertEquals("300000", seen.get("content-length"));
            assertTrue(seen.get("bits-original-request-url").endsWith("/reports/r1.bin?tx=42"));
            assertFalse(Files.exists(uploads.resolve("reports/r1.bin")), "stored without Copy-File-To-Destination");

            HttpResponse<byte[]> reply = get(replyUrl);
            HttpResponse<byte[]> tail = get(replyUrl, "Range", "bytes=4-");
            assertEquals(200, reply.statusCode());
            assertArrayEquals(expected, reply.body());
            assertEquals(206, tail.statusCode());
            assertArrayEquals(java.util.Arrays.copyOfRange(expected, 4, expected.length), tail.body());

            assertEquals(200, wire.close("/reports/r1.bin?tx=42", id).status());
            assertEquals(404, get(replyUrl).statusCode());
        }
    }

    @Test
    void byReferenceTheApplicationReadsAndWritesFilesAndMayAskForACopyAtTheDestination() throws Exception {
        byte[] data = TestData.randomBytes(70_001, 32);
        extraHeaders.set(Map.of("BITS-Copy-File-To-Destination", "true"));
        try (BitsWire wire = start(NotifyType.BY_REFERENCE, "/app", BitsUploadHandler.NOTIFY_TIMEOUT)) {
            String id = wire.createSession("/ref.bin");
            BitsWire.Reply last = wire.uploadFragments("/ref.bin", id, data, 30_000);

            assertEquals("0", seen.get("bodyLength"));
            assertTrue(seen.get("bits-request-datafile-name").endsWith("request"));
            assertTrue(seen.get("bits-response-datafile-name").endsWith("response"));
            assertEquals(TestData.sha256(data), TestData.sha256(uploads.resolve("ref.bin")));
            HttpResponse<byte[]> reply = get(last.header("BITS-Reply-URL"));
            assertEquals("got " + TestData.sha256(data), new String(reply.body(), StandardCharsets.UTF_8));

            assertEquals(200, wire.close("/ref.bin", id).status());
            assertEquals(List.of("ref.bin"), TestData.filesBelow(uploads));
        }
    }

    @Test
    void aStaticResponseUrlFromTheApplicationBecomesTheReplyUrl() throws Exception {
        extraHeaders.set(Map.of("BITS-Static-Response-URL", "http://127.0.0.1:9/static/reply.txt"));
        try (BitsWire wire = start(NotifyType.BY_VALUE, "/app", BitsUploadHandler.NOTIFY_TIMEOUT)) {
            String id = wire.createSession("/static.bin");
            BitsWire.Reply last = wire.fragment("/static.bin", id, new byte[5120], 0, 5120);

            assertEquals("http://127.0.0.1:9/static/reply.txt", last.header("BITS-Reply-URL"));
        }
    }

    @Test
    void anApplicationErrorReachesTheClientAndTheResentLastFragmentNotifiesAgain() throws Exception {
        byte[] data = TestData.randomBytes(10_000, 33);
        nextStatus.set(500);
        try (BitsWire wire = start(NotifyType.BY_VALUE, "/app", BitsUploadHandler.NOTIFY_TIMEOUT)) {
            String id = wire.createSession("/retry.bin");
            BitsWire.Reply failed = wire.fragment("/retry.bin", id, data, 0, 10_000);
            nextStatus.set(200);
            BitsWire.Reply resent = wire.fragment("/retry.bin", id, data, 0, 10_000);

            assertEquals(500, failed.status());
            assertEquals("0x801901F4", failed.header("BITS-Error-Code"));
            assertEquals("0x7", failed.header("BITS-Error-Context"));
            assertNull(failed.header("BITS-Reply-URL"));
            assertEquals(200, resent.status());
            assertEquals("10000", resent.header("BITS-Received-Content-Range"));
            assertEquals(2, calls.get());
            assertEquals("got " + TestData.sha256(data),
                    new String(get(resent.header("BITS-Reply-URL")).body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void anApplicationThatDoesNotAnswerInTimeGives408WithTheApplicationContext() throws Exception {
        try (BitsWire wire = start(NotifyType.BY_VALUE, "/slow", Duration.ofMillis(300))) {
            String id = wire.createSession("/slow.bin");

            BitsWire.Reply reply = wire.fragment("/slow.bin", id, new byte[5120], 0, 5120);

            assertEquals(408, reply.status());
            assertEquals("0x7", reply.header("BITS-Error-Context"));
        }
    }

    @Test
    void anUnreachableApplicationGivesATransientErrorWithTheApplicationContext() throws Exception {
        server = UploadServer.start(temp.resolve("served"), UploadConfig.of(uploads)
                .withNotification(URI.create("http://127.0.0.1:9/nothing"), NotifyType.BY_VALUE));
        try (BitsWire wire = server.wire()) {
            String id = wire.createSession("/down.bin");

            BitsWire.Reply reply = wire.fragment("/down.bin", id, new byte[5120], 0, 5120);

            assertEquals(502, reply.status());
            assertEquals("0x7", reply.header("BITS-Error-Context"));
        }
    }
}
