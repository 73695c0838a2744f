package io.jbits.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.BitsCodes;
import io.jbits.spi.JobOptions;
import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.Validator;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A job's extra request headers and redirect policy. */
class HttpTransportOptionsTest {
    private static final byte[] ENTITY = Bodies.random(10_000, 8);

    private final HttpTransport transport = HttpTransport.create(HttpTransportConfig.defaults());
    private TestServer server;
    private TestServer other;

    @AfterEach
    void stop() throws Exception {
        transport.close();
        for (TestServer s : new TestServer[] {server, other}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private RemoteBody open(URI uri, JobOptions options) throws Exception {
        return transport.open(new RemoteRequest(uri, 0, Validator.NONE, "alice", options.toJson()));
    }

    @Test
    void everyRequestCarriesTheJobsHeaders() throws Exception {
        server = TestServer.http(RangeEntity.of(ENTITY, "\"h\"", null));
        JobOptions o = JobOptions.empty().with("http.headers", "X-Tenant: blue\r\nAccept-Language: fr");
        Bodies.readAll(open(server.uri("/f"), o));
        TestServer.Seen seen = server.seen().getFirst();
        assertEquals("blue", seen.headers().get("X-Tenant"));
        assertEquals("fr", seen.headers().get("Accept-Language"));
    }

    /** The transport reads a job's options once for its files; options that change take effect at the next file. */
    @Test
    void changedOptionsReachTheNextRequestAndUnchangedOnesAreKept() throws Exception {
        server = TestServer.http(RangeEntity.of(ENTITY, "\"h\"", null));
        JobOptions blue = JobOptions.empty().with("http.headers", "X-Tenant: blue");
        JobOptions green = JobOptions.empty().with("http.headers", "X-Tenant: green");
        for (JobOptions o : java.util.List.of(blue, blue, green, blue)) {
            Bodies.readAll(open(server.uri("/f"), o));
        }
        assertEquals(java.util.List.of("blue", "blue", "green", "blue"),
                server.seen().stream().map(s -> s.headers().get("X-Tenant")).toList());
    }

    @Test
    void anAuthorizationHeaderIsNotSentToAnotherHostAfterARedirect() throws Exception {
        other = TestServer.http(RangeEntity.of(ENTITY, "\"h\"", null));
        server = TestServer.http(HttpTransportErrorTest.redirectTo(other.uri("localhost", "/moved")));
        JobOptions o = JobOptions.empty().with("http.headers", "Authorization: Bearer t0ken\r\nX-Trace: 7");
        assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(Bodies.readAll(open(server.uri("/f"), o))));
        assertEquals("Bearer t0ken", server.seen().getFirst().authorization());
        TestServer.Seen moved = other.seen().getFirst();
        assertNull(moved.authorization());
        assertEquals("7", moved.headers().get("X-Trace"));
    }

    @Test
    void aHeaderTheTransportManagesIsRefused() throws Exception {
        server = TestServer.http(RangeEntity.of(ENTITY, "\"h\"", null));
        TransferFailure f = assertThrows(TransferFailure.class,
                () -> open(server.uri("/f"), JobOptions.empty().with("http.headers", "Range: bytes=0-")));
        assertEquals(BitsCodes.E_INVALIDARG, f.error().code());
        assertTrue(f.getMessage().contains("Range"), f.getMessage());
        assertTrue(server.seen().isEmpty());
    }

    @Test
    void denyMakesAnyRedirectAFatalErrorNamingTheTarget() throws Exception {
        other = TestServer.http(RangeEntity.of(ENTITY, "\"h\"", null));
        server = TestServer.http(HttpTransportErrorTest.redirectTo(other.uri("/moved")));
        TransferFailure f = assertThrows(TransferFailure.class,
                () -> open(server.uri("/f"), JobOptions.empty().with("http.redirects", "deny")));
        assertEquals(BitsCodes.E_REDIRECT_FAILED, f.error().code());
        assertFalse(f.error().transientError());
        assertTrue(f.getMessage().contains(other.uri("/moved").toString()), f.getMessage());
        assertTrue(other.seen().isEmpty());
    }

    @Test
    void reportAndAllowFollowAndTellTheFinalUrl() throws Exception {
        other = TestServer.http(RangeEntity.of(ENTITY, "\"h\"", null));
        server = TestServer.http(HttpTransportErrorTest.redirectTo(other.uri("/moved")));
        for (String mode : new String[] {"allow", "report"}) {
            RemoteBody body = open(server.uri("/f"), JobOptions.empty().with("http.redirects", mode));
            assertEquals(other.uri("/moved"), body.finalUri());
            assertEquals(mode.equals("report"), body.reportFinalUri());
            assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(Bodies.readAll(body)));
        }
    }
}
