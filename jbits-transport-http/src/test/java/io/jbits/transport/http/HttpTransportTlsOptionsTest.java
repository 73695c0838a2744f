package io.jbits.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.BitsCodes;
import io.jbits.spi.JobOptions;
import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.Validator;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's TLS options against certificates of a CA made in the set-up: an extra CA file per job and per service,
 * client certificates, and the relaxations a job may ask for (never the default).
 */
class HttpTransportTlsOptionsTest {
    private static final byte[] ENTITY = Bodies.random(30_000, 5);

    @TempDir
    static Path dir;
    private static TestPki pki;

    private HttpTransport transport = HttpTransport.create(HttpTransportConfig.defaults());
    private TestServer server;

    @BeforeAll
    static void makeCertificates() throws Exception {
        pki = TestPki.create(dir);
        pki.leaf("good", "ip:127.0.0.1", 0, 2);
        pki.leaf("expired", "ip:127.0.0.1", 10, 2);
        pki.leaf("misnamed", "dns:elsewhere.test", 0, 2);
        pki.leaf("client", "dns:client.test", 0, 2);
    }

    @AfterEach
    void stop() throws Exception {
        transport.close();
        if (server != null) {
            server.close();
        }
    }

    private void serve(String certificate) throws Exception {
        server = TestServer.https(RangeEntity.of(ENTITY, "\"t\"", null), pki.store(certificate), TestPki.PASSWORD);
    }

    private byte[] fetch(JobOptions options) throws Exception {
        URI uri = server.uri("/f");
        RemoteBody body = transport.open(new RemoteRequest(uri, 0, Validator.NONE, "alice", options.toJson()));
        return Bodies.readAll(body);
    }

    private static JobOptions caFile() {
        return JobOptions.empty().with("tls.ca-file", pki.caPem.toString());
    }

    private void assertSecureFailure(JobOptions options) {
        TransferFailure f = assertThrows(TransferFailure.class, () -> fetch(options));
        assertEquals(BitsCodes.E_SECURE_FAILURE, f.error().code(), f.getMessage());
        assertFalse(f.error().transientError());
    }

    @Test
    void theSystemTrustStoreAloneRefusesThePrivateCa() throws Exception {
        serve("good");
        assertSecureFailure(JobOptions.empty());
    }

    @Test
    void aJobsCaFileMakesItsServerTrusted() throws Exception {
        serve("good");
        assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(fetch(caFile())));
    }

    @Test
    void theServicesCaFileServesEveryJob() throws Exception {
        transport.close();
        transport = HttpTransport.create(HttpTransportConfig.defaults().withCaFile(pki.caPem));
        serve("good");
        assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(fetch(JobOptions.empty())));
    }

    @Test
    void anExpiredCertificateFailsUnlessTheJobIgnoresDates() throws Exception {
        serve("expired");
        assertSecureFailure(caFile());
        assertSecureFailure(caFile().with("tls.ignore", "unknown-ca,name"));
        assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(fetch(caFile().with("tls.ignore", "expired"))));
    }

    @Test
    void aCertificateForAnotherNameFailsUnlessTheJobIgnoresNames() throws Exception {
        serve("misnamed");
        assertSecureFailure(caFile());
        assertSecureFailure(caFile().with("tls.ignore", "unknown-ca,expired"));
        assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(fetch(caFile().with("tls.ignore", "name"))));
    }

    @Test
    void anUnknownCaIsAcceptedOnlyWhenTheJobSaysSo() throws Exception {
        serve("good");
        assertSecureFailure(JobOptions.empty().with("tls.ignore", "expired,name"));
        assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(fetch(JobOptions.empty().with("tls.ignore",
                "unknown-ca"))));
    }

    @Test
    void aServerThatRequiresAClientCertificateGetsTheJobsOne() throws Exception {
        server = TestServer.httpsWithClientCertificates(RangeEntity.of(ENTITY, "\"t\"", null), pki.store("good"),
                TestPki.PASSWORD, pki.trustStore());
        assertThrows(Exception.class, () -> fetch(caFile()));
        JobOptions withCertificate = caFile().with("tls.client-cert", pki.pem("client").toString())
                .with("tls.client-key", pki.key("client").toString());
        assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(fetch(withCertificate)));
    }

    @Test
    void anUnreadableCaFileIsAFatalErrorNamingIt() throws Exception {
        serve("good");
        Path bogus = dir.resolve("not-a-ca.pem");
        Files.writeString(bogus, "hello");
        TransferFailure f = assertThrows(TransferFailure.class,
                () -> fetch(JobOptions.empty().with("tls.ca-file", bogus.toString())));
        assertTrue(f.getMessage().contains(bogus.toString()), f.getMessage());
        assertFalse(f.error().transientError());
    }

    @Test
    void anUnknownRelaxationIsRefused() throws Exception {
        serve("good");
        TransferFailure f = assertThrows(TransferFailure.class,
                () -> fetch(JobOptions.empty().with("tls.ignore", "everything")));
        assertEquals(BitsCodes.E_INVALIDARG, f.error().code());
        assertTrue(f.getMessage().contains("everything"), f.getMessage());
    }
}
