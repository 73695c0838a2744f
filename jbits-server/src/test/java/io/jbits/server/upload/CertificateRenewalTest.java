package io.jbits.server.upload;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import io.jbits.server.TestCa;
import io.jbits.server.tls.TlsFiles;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A certificate renewed on disk during an upload: new connections get it, the upload goes on undisturbed. */
class CertificateRenewalTest {

    @TempDir
    Path dir;

    private final TestCa ca = TestCa.create();

    private BitsWire tlsWire(FileServer server) throws IOException {
        SSLSocket socket = (SSLSocket) ca.clientContext().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.port());
        socket.startHandshake();
        return new BitsWire(socket);
    }

    private static BigInteger serialOf(FileServer server, TestCa ca) throws IOException {
        try (SSLSocket socket = (SSLSocket) ca.clientContext().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    @Test
    void aRenewalDuringAnUploadIsPickedUpAndTheUploadCompletes() throws Exception {
        Path uploads = Files.createDirectories(dir.resolve("uploads"));
        TlsFiles files = new TlsFiles(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        X509Certificate first = ca.issue(files.certFile(), files.keyFile());
        BitsUploadHandler handler = new BitsUploadHandler(UploadConfig.of(uploads));
        byte[] data = TestData.randomBytes(300_000, 7);
        try (FileServer server = FileServer.builder(new ServeConfig(Files.createDirectories(dir.resolve("served")),
                "127.0.0.1", 0)).handler(handler).tls(files).watchInterval(Duration.ofSeconds(1)).start();
                BitsWire before = tlsWire(server)) {
            String id = before.createSession("/renewed.bin");
            assertEquals(200, before.fragment("/renewed.bin", id, data, 0, 100_000).status());

            // Renewal as certbot does it: a new key and certificate written over the old files.
            X509Certificate second = ca.issue(files.certFile(), files.keyFile());
            await("the renewed certificate served").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> serialOf(server, ca).equals(second.getSerialNumber()));

            // The connection opened before the renewal still works, and so does a new one, in the same session.
            assertEquals(200, before.fragment("/renewed.bin", id, data, 100_000, 100_000).status());
            try (BitsWire after = tlsWire(server)) {
                assertEquals(200, after.fragment("/renewed.bin", id, data, 200_000, 100_000).status());
                assertEquals(200, after.close("/renewed.bin", id).status());
            }
            assertArrayEquals(data, Files.readAllBytes(uploads.resolve("renewed.bin")));
            assertEquals(false, first.getSerialNumber().equals(second.getSerialNumber()));
        }
    }

    @Test
    void aBrokenRenewalKeepsTheCertificateInUseUntilTheFilesAreWhole() throws Exception {
        TlsFiles files = new TlsFiles(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        X509Certificate first = ca.issue(files.certFile(), files.keyFile());
        try (FileServer server = FileServer.builder(new ServeConfig(Files.createDirectories(dir.resolve("served")),
                "127.0.0.1", 0)).tls(files).watchInterval(Duration.ofSeconds(1)).start()) {
            // Half a renewal: the new certificate is there, its key not yet.
            Path newKey = dir.resolve("new-key.pem");
            X509Certificate second = ca.issue(dir.resolve("new-cert.pem"), newKey);
            Files.copy(dir.resolve("new-cert.pem"), files.certFile(), StandardCopyOption.REPLACE_EXISTING);
            Thread.sleep(3_500);
            assertEquals(first.getSerialNumber(), serialOf(server, ca), "the old pair stays in use");

            Files.copy(newKey, files.keyFile(), StandardCopyOption.REPLACE_EXISTING);
            await("the whole renewal served").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> serialOf(server, ca).equals(second.getSerialNumber()));
        }
    }
}
