package io.jbits.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import io.jbits.server.TestCa;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jbits serve} over HTTPS with PEM files: TLS 1.2 and 1.3 only, modern ciphers, a checked key. */
class HttpsTest {

    @TempDir
    Path dir;

    private final TestCa ca = TestCa.create();
    private Path served;
    private TlsFiles files;

    @BeforeEach
    void certificate() throws IOException {
        served = Files.createDirectories(dir.resolve("served"));
        Files.writeString(served.resolve("hello.txt"), "hello over TLS");
        files = new TlsFiles(dir.resolve("fullchain.pem"), dir.resolve("privkey.pem"));
        ca.issue(files.certFile(), files.keyFile());
    }

    private FileServer start() throws IOException {
        return FileServer.builder(new ServeConfig(served, "127.0.0.1", 0)).tls(files).start();
    }

    private SSLSocket connect(FileServer server, String protocol, String cipher) throws IOException {
        SSLSocket socket = (SSLSocket) ca.clientContext().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(10_000);
        if (protocol != null) {
            socket.setEnabledProtocols(new String[] {protocol});
        }
        if (cipher != null) {
            socket.setEnabledCipherSuites(new String[] {cipher});
        }
        socket.startHandshake();
        return socket;
    }

    @Test
    void filesAreServedOverHttpsWithTheCertificateOfThePemFiles() throws Exception {
        try (FileServer server = start()) {
            HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext()).build();
            URI uri = server.baseUri().resolve("hello.txt");
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertEquals("https", uri.getScheme());
            assertEquals(200, response.statusCode());
            assertEquals("hello over TLS", response.body());
        }
    }

    @Test
    void onlyTls12And13WithForwardSecretAeadCiphersAreOffered() throws Exception {
        try (FileServer server = start()) {
            try (SSLSocket best = connect(server, null, null);
                    SSLSocket tls12 = connect(server, "TLSv1.2", null)) {
                assertEquals("TLSv1.3", best.getSession().getProtocol());
                assertEquals("TLSv1.2", tls12.getSession().getProtocol());
                String cipher = tls12.getSession().getCipherSuite();
                assertTrue(cipher.startsWith("TLS_ECDHE_") && (cipher.contains("_GCM_") || cipher.contains("CHACHA")),
                        cipher);
            }
            assertThrows(IOException.class, () -> connect(server, "TLSv1.2",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256").close(), "a CBC cipher is refused");
        }
    }

    @Test
    void plainHttpIsNotServedOnAnHttpsServer() throws Exception {
        try (FileServer server = start(); Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            byte[] answer = plain.getInputStream().readNBytes(64);
            assertTrue(!new String(answer).contains("hello over TLS"), "no file over plain HTTP");
        }
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedAtStart() throws Exception {
        Path other = dir.resolve("other-key.pem");
        ca.issue(dir.resolve("other-cert.pem"), other);
        files = new TlsFiles(files.certFile(), other);

        IOException error = assertThrows(IOException.class, this::start);

        assertTrue(error.getMessage().contains("belongs to no certificate"), error.getMessage());
    }

    @Test
    void aFileWithoutAKeyOrCertificateIsNamedInTheError() throws Exception {
        Files.writeString(files.keyFile(), "not a key\n");

        IOException error = assertThrows(IOException.class, this::start);

        assertTrue(error.getMessage().contains(files.keyFile().toString()), error.getMessage());
    }

    @Test
    void theChainMayComeInAnyOrderAndTheKeyInTheSameFile() throws Exception {
        Path leafAndKey = dir.resolve("combined.pem");
        String chain = Files.readString(files.certFile());
        int second = chain.indexOf("-----BEGIN CERTIFICATE-----", 10);
        Files.writeString(leafAndKey, chain.substring(second) + chain.substring(0, second)
                + Files.readString(files.keyFile()));
        files = new TlsFiles(leafAndKey, leafAndKey);

        try (FileServer server = start(); SSLSocket socket = connect(server, null, null)) {
            X509Certificate presented = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            assertEquals("CN=localhost", presented.getSubjectX500Principal().getName());
        }
    }
}
