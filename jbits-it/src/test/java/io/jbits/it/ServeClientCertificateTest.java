package io.jbits.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * {@code jbits serve --tls-client-ca} with a CA made in set-up: a client certificate of that CA uploads as its CN
 * (into {@code {user}} of the upload path) without a password, a certificate of another CA is refused, a client
 * without a certificate still uses Basic authentication, and a session belongs to the certificate's user. The client
 * is the JDK's HttpClient with a key manager, speaking [MC-BUP] packet by packet.
 */
class ServeClientCertificateTest extends EndToEnd {

    private static final String PROTOCOL = "{7df0354d-249b-430f-820d-3d2a9bef4931}";

    private final ServerCertificates serverCa = new ServerCertificates();
    private final ClientCertificates clientCa = new ClientCertificates();
    private final ClientCertificates strangerCa = new ClientCertificates();
    private final List<HttpClient> clients = new ArrayList<>();
    private Path serverCaFile;
    private Path uploads;
    private ServeProcess server;

    @BeforeEach
    void setUp() throws IOException {
        Path tls = Files.createDirectories(data.resolve("tls"));
        serverCaFile = serverCa.writeCaFile(tls.resolve("ca.pem"));
        Path certFile = tls.resolve("fullchain.pem");
        Path keyFile = tls.resolve("privkey.pem");
        serverCa.issue(certFile, keyFile);
        Path clientCaFile = clientCa.writeCaFile(tls.resolve("clients.pem"));
        Path users = Files.writeString(data.resolve("users"), "bob:" + BCrypt.hashpw("builder", BCrypt.gensalt(4))
                + "\n");
        uploads = Files.createDirectories(data.resolve("uploads"));
        Path served = Files.createDirectories(data.resolve("served"));
        server = closeLater(ServeProcess.start(served, data.resolve("serve.log"), "--upload-dir",
                uploads + "/{user}", "--tls-cert", certFile.toString(), "--tls-key", keyFile.toString(),
                "--tls-client-ca", clientCaFile.toString(), "--users", users.toString()));
    }

    @AfterEach
    void closeClients() {
        clients.forEach(HttpClient::close);
    }

    private HttpClient client(SSLContext context) {
        HttpClient client = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1).build();
        clients.add(client);
        return client;
    }

    private HttpResponse<byte[]> packet(HttpClient client, String path, String type, List<String> headers,
            byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method("BITS_POST", body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("BITS-Packet-Type", type);
        for (int i = 0; i < headers.size(); i += 2) {
            request.header(headers.get(i), headers.get(i + 1));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String createSession(HttpClient client, String path, String... extra) throws Exception {
        List<String> headers = new ArrayList<>(List.of("BITS-Supported-Protocols", PROTOCOL));
        headers.addAll(List.of(extra));
        HttpResponse<byte[]> created = packet(client, path, "Create-Session", headers, null);
        assertEquals(200, created.statusCode(), () -> "Create-Session: " + created.headers().map());
        return created.headers().firstValue("BITS-Session-Id").orElseThrow();
    }

    private HttpResponse<byte[]> fragment(HttpClient client, String path, String id, byte[] data, int first,
            int length, String... extra) throws Exception {
        List<String> headers = new ArrayList<>(List.of("BITS-Session-Id", id, "Content-Range",
                "bytes " + first + "-" + (first + length - 1) + "/" + data.length));
        headers.addAll(List.of(extra));
        return packet(client, path, "Fragment", headers, Arrays.copyOfRange(data, first, first + length));
    }

    private void upload(HttpClient client, String path, byte[] data, String... extra) throws Exception {
        String id = createSession(client, path, extra);
        for (int first = 0; first < data.length; first += 64 * 1024) {
            HttpResponse<byte[]> ack = fragment(client, path, id, data, first, Math.min(64 * 1024,
                    data.length - first), extra);
            assertEquals(200, ack.statusCode(), () -> "Fragment: " + ack.headers().map());
        }
        List<String> headers = new ArrayList<>(List.of("BITS-Session-Id", id));
        headers.addAll(List.of(extra));
        assertEquals(200, packet(client, path, "Close-Session", headers, null).statusCode());
    }

    @Test
    void aCertificateOfTheTrustedCaUploadsAsItsCommonNameWithoutAPassword() throws Exception {
        byte[] report = TestData.randomBytes(300_000, 31);
        HttpClient alice = client(clientCa.clientContext("alice", serverCaFile));

        upload(alice, "/crash/report.dmp", report);

        assertArrayEquals(report, Files.readAllBytes(uploads.resolve("alice/crash/report.dmp")));
        assertTrue(server.log().contains("Accepting client certificates"), server.log());
    }

    @Test
    void aClientWithoutACertificateStillUsesItsPassword() throws Exception {
        HttpClient anonymous = client(ClientCertificates.anonymousContext(serverCaFile));
        String bob = "Basic " + Base64.getEncoder().encodeToString("bob:builder".getBytes(StandardCharsets.UTF_8));

        HttpResponse<byte[]> challenged = packet(anonymous, "/x.bin", "Ping", List.of(), null);
        upload(anonymous, "/x.bin", new byte[] {1, 2, 3}, "Authorization", bob);

        assertEquals(401, challenged.statusCode());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(uploads.resolve("bob/x.bin")));
    }

    @Test
    void aCertificateOfAnotherCaIsRefused() {
        HttpClient stranger = client(strangerCa.clientContext("alice", serverCaFile));

        assertThrows(IOException.class, () -> packet(stranger, "/x.bin", "Ping", List.of(), null));
        assertFalse(Files.exists(uploads.resolve("alice")));
    }

    @Test
    void aSessionBelongsToTheCertificatesUser() throws Exception {
        byte[] data = TestData.randomBytes(100_000, 32);
        HttpClient alice = client(clientCa.clientContext("alice", serverCaFile));
        HttpClient mallory = client(clientCa.clientContext("mallory", serverCaFile));
        String id = createSession(alice, "/mine.bin");
        assertEquals(200, fragment(alice, "/mine.bin", id, data, 0, 50_000).statusCode());

        HttpResponse<byte[]> stolen = fragment(mallory, "/mine.bin", id, data, 50_000, 50_000);
        HttpResponse<byte[]> cancelled = packet(mallory, "/mine.bin", "Cancel-Session",
                List.of("BITS-Session-Id", id), null);

        for (HttpResponse<byte[]> reply : List.of(stolen, cancelled)) {
            assertEquals(500, reply.statusCode());
            assertEquals("0x8020001F", reply.headers().firstValue("BITS-Error-Code").orElse(null),
                    "BG_E_SESSION_NOT_FOUND");
        }
        assertEquals(200, fragment(alice, "/mine.bin", id, data, 50_000, 50_000).statusCode());
        assertEquals(200, packet(alice, "/mine.bin", "Close-Session", List.of("BITS-Session-Id", id), null)
                .statusCode());
        assertArrayEquals(data, Files.readAllBytes(uploads.resolve("alice/mine.bin")));
        assertFalse(Files.exists(uploads.resolve("mallory")));
    }
}
