package io.jbits.transport.http.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.jbits.spi.UploadOutcome;
import io.jbits.spi.UploadRequest;
import io.jbits.server.upload.NotifyType;
import io.jbits.server.upload.UploadConfig;
import io.jbits.transport.http.HttpTransportConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upload-reply sessions against {@code jbits serve} notifying a server application by value. */
class BitsUploadReplyTest {

    @TempDir
    Path temp;
    private Servers servers;
    private HttpServer application;
    private BitsUploadClient client;
    private HttpClient http;

    @BeforeEach
    void setUp() throws IOException {
        servers = new Servers(temp);
        client = BitsUploadClient.create(HttpTransportConfig.defaults());
        http = HttpClient.newHttpClient();
        application = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        application.createContext("/app", exchange -> {
            byte[] reply;
            try (InputStream in = exchange.getRequestBody()) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                reply = ("received " + HexFormat.of().formatHex(sha.digest(in.readAllBytes())))
                        .getBytes(StandardCharsets.UTF_8);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IOException(e);
            }
            exchange.sendResponseHeaders(200, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        });
        application.start();
    }

    @AfterEach
    void tearDown() throws IOException {
        client.close();
        http.close();
        application.stop(0);
        servers.close();
    }

    @Test
    void theReplyUrlServesTheApplicationsReplyUntilCloseSession() throws Exception {
        Path uploads = Files.createDirectories(temp.resolve("uploads"));
        URI notify = URI.create("http://127.0.0.1:" + application.getAddress().getPort() + "/app");
        Servers.Running server = servers.start(UploadConfig.of(uploads).withNotification(notify,
                NotifyType.BY_VALUE));
        Path file = TestFiles.random(temp.resolve("local.bin"), (3 << 20) + 5, 21);
        UploadRequest request = new UploadRequest(server.url("in/f.bin"), file, Files.size(file), "{}", true,
                "alice", "{}");

        UploadOutcome outcome = client.upload(request, new RecordingProgress());

        assertTrue(outcome.complete());
        assertNotNull(outcome.replyUrl());
        assertEquals(1, server.handler().openSessions());
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(outcome.replyUrl()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode());
        assertEquals("received " + TestFiles.sha256(file), reply.body());

        client.closeSession(request.withSessionState(outcome.sessionState()));

        assertEquals(0, server.handler().openSessions());
        assertEquals(404, http.send(HttpRequest.newBuilder(outcome.replyUrl()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    @Test
    void anUploadCalledAgainAfterTheLastByteReturnsTheSameReplyUrl() throws Exception {
        Path uploads = Files.createDirectories(temp.resolve("uploads"));
        URI notify = URI.create("http://127.0.0.1:" + application.getAddress().getPort() + "/app");
        Servers.Running server = servers.start(UploadConfig.of(uploads).withNotification(notify,
                NotifyType.BY_VALUE));
        Path file = TestFiles.random(temp.resolve("local.bin"), 10_000, 22);
        UploadRequest request = new UploadRequest(server.url("f.bin"), file, Files.size(file), "{}", true,
                "alice", "{}");
        RecordingProgress progress = new RecordingProgress();
        UploadOutcome first = client.upload(request, progress);

        // The engine crashed after the session state was saved, before it noted the outcome.
        UploadOutcome again = client.upload(request.withSessionState(progress.lastState()), new RecordingProgress());

        assertEquals(first.replyUrl(), again.replyUrl());
        assertEquals(200, http.send(HttpRequest.newBuilder(again.replyUrl()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }
}
