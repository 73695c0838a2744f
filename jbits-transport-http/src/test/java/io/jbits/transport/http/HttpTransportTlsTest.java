package io.jbits.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.Validator;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS downloads against a self-signed certificate made by the JDK's keytool for 127.0.0.1. */
class HttpTransportTlsTest {
    private static final String PASSWORD = "changeit";
    private static final byte[] ENTITY = Bodies.random(100_000, 11);

    @TempDir
    static Path dir;
    private static Path keyStore;
    private static SSLContext trusting;

    private TestServer https;
    private TestServer http;

    @BeforeAll
    static void makeCertificate() throws Exception {
        keyStore = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, p.exitValue(), () -> readLog());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            trust.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);
    }

    private static String readLog() {
        try {
            return Files.readString(dir.resolve("keytool.log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (TestServer s : new TestServer[] {https, http}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private static RemoteBody open(HttpTransport transport, java.net.URI uri) throws Exception {
        return transport.open(new RemoteRequest(uri, 0, Validator.NONE, "alice", "{}"));
    }

    @Test
    void trustedServerDeliversTheEntity() throws Exception {
        https = TestServer.https(RangeEntity.of(ENTITY, "\"t\"", null), keyStore, PASSWORD);
        try (HttpTransport transport = HttpTransport.create(HttpTransportConfig.defaults(), null, trusting)) {
            RemoteBody body = open(transport, https.uri("/f"));
            assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(Bodies.readAll(body)));
        }
    }

    @Test
    void untrustedCertificateIsAFatalSecureFailure() throws Exception {
        https = TestServer.https(RangeEntity.of(ENTITY, "\"t\"", null), keyStore, PASSWORD);
        try (HttpTransport transport = HttpTransport.create(HttpTransportConfig.defaults())) {
            TransferFailure f = assertThrows(TransferFailure.class, () -> open(transport, https.uri("/f")));
            assertEquals(BitsCodes.E_SECURE_FAILURE, f.error().code());
            assertEquals(ErrorContext.GENERAL_TRANSPORT, f.error().context());
            assertFalse(f.error().transientError());
        }
    }

    @Test
    void redirectFromHttpsToHttpIsRefused() throws Exception {
        http = TestServer.http(RangeEntity.of(ENTITY, "\"t\"", null));
        https = TestServer.https(HttpTransportErrorTest.redirectTo(http.uri("/plain")), keyStore, PASSWORD);
        try (HttpTransport transport = HttpTransport.create(HttpTransportConfig.defaults(), null, trusting)) {
            TransferFailure f = assertThrows(TransferFailure.class, () -> open(transport, https.uri("/f")));
            assertEquals(BitsCodes.E_REDIRECT_FAILED, f.error().code());
            assertFalse(f.error().transientError());
            assertTrue(f.getMessage().contains(https.uri("/f").toString())
                    && f.getMessage().contains(http.uri("/plain").toString()), f.getMessage());
        }
        assertTrue(http.seen().isEmpty());
    }
}
