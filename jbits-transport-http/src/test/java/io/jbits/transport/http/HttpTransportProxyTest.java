package io.jbits.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.spi.JobOptions;
import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.Validator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Routing through a job's proxy list, with a test server standing in for a forward proxy (it answers the
 * absolute-URI request itself): the next proxy when one cannot be reached, and the error when none can.
 */
class HttpTransportProxyTest {
    private static final byte[] ENTITY = Bodies.random(20_000, 13);
    /** Never resolved: the request goes to the proxy, which answers it. */
    private static final URI TARGET = URI.create("http://origin.invalid/file.bin");

    private final HttpTransport transport = HttpTransport.create(HttpTransportConfig.defaults());
    private TestServer proxy;

    @AfterEach
    void stop() throws Exception {
        transport.close();
        if (proxy != null) {
            proxy.close();
        }
    }

    private static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private RemoteBody open(JobOptions options) throws Exception {
        return transport.open(new RemoteRequest(TARGET, 0, Validator.NONE, "alice", options.toJson()));
    }

    @Test
    void aProxyThatCannotBeReachedGivesWayToTheNextOfTheList() throws Exception {
        proxy = TestServer.http(RangeEntity.of(ENTITY, "\"p\"", null));
        String list = "127.0.0.1:" + deadPort() + "," + proxy.uri("").getAuthority();
        RemoteBody body = open(JobOptions.empty().with("proxy.usage", "override").with("proxy.list", list));
        assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(Bodies.readAll(body)));
        assertEquals("/file.bin", proxy.seen().getFirst().path());
    }

    @Test
    void whenNoProxyCanBeReachedTheErrorNamesThemAndIsTransient() throws Exception {
        int one = deadPort();
        int two = deadPort();
        JobOptions o = JobOptions.empty().with("proxy.usage", "override")
                .with("proxy.list", "127.0.0.1:" + one + ", 127.0.0.1:" + two);
        IOException e = assertThrows(IOException.class, () -> open(o));
        assertTrue(e.getMessage().contains("cannot connect to proxy 127.0.0.1:" + one + ", 127.0.0.1:" + two),
                e.getMessage());
    }

    @Test
    void digestProxyCredentialsAnswerTheProxysChallengeAndGoNowhereElse() throws Exception {
        proxy = TestServer.http(Challenges.proxyDigest("pat", "pr0xy", RangeEntity.of(ENTITY, "\"p\"", null)));
        JobOptions o = JobOptions.empty().with("proxy.usage", "override").with("proxy.list", proxy.uri("")
                .getAuthority()).with("cred.proxy.digest.user", "pat").with("cred.proxy.digest.secret", "pr0xy");
        assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(Bodies.readAll(open(o))));
        assertTrue(proxy.seen().stream().allMatch(s -> s.authorization() == null), "no server credentials sent");
        io.jbits.spi.TransferFailure f = assertThrows(io.jbits.spi.TransferFailure.class,
                () -> open(o.with("cred.proxy.digest.secret", "wrong")));
        assertEquals(io.jbits.api.BitsCodes.forHttpStatus(407), f.error().code());
        assertTrue(f.getMessage().contains("asks for Digest") && f.getMessage().contains("refused"), f.getMessage());
    }

    @Test
    void aBypassedHostIsReachedDirectly() throws Exception {
        proxy = TestServer.http(RangeEntity.of(ENTITY, "\"p\"", null));
        JobOptions o = JobOptions.empty().with("proxy.usage", "override").with("proxy.list", "127.0.0.1:" + deadPort())
                .with("proxy.bypass", "127.0.0.1");
        RemoteBody body = transport.open(new RemoteRequest(proxy.uri("/direct"), 0, Validator.NONE, "alice",
                o.toJson()));
        assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(Bodies.readAll(body)));
    }
}
