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
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How HTTP statuses, redirects and network failures reach the engine. */
class HttpTransportErrorTest {
    private static final byte[] ENTITY = Bodies.random(10_000, 7);

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

    private RemoteBody open(URI uri) throws Exception {
        return transport.open(new RemoteRequest(uri, 0, Validator.NONE, "alice", "{}"));
    }

    private TransferFailure failureFor(int status) throws Exception {
        server = TestServer.http((request, response) -> TestServer.send(response, status, "no".getBytes()));
        return assertThrows(TransferFailure.class, () -> open(server.uri("/f")));
    }

    @Test
    void notFoundIsFatalWithTheHttpCode() throws Exception {
        TransferFailure f = failureFor(404);
        assertEquals(0x80190194, f.error().code());
        assertEquals(404, f.error().httpStatus());
        assertEquals(ErrorContext.REMOTE_FILE, f.error().context());
        assertFalse(f.error().transientError());
        assertTrue(f.getMessage().contains("404") && f.getMessage().contains(server.uri("/f").toString()),
                f.getMessage());
    }

    @Test
    void serviceUnavailableIsTransient() throws Exception {
        TransferFailure f = failureFor(503);
        assertEquals(BitsCodes.forHttpStatus(503), f.error().code());
        assertTrue(f.error().transientError());
    }

    @Test
    void requestTimeoutIsTransient() throws Exception {
        assertTrue(failureFor(408).error().transientError());
    }

    @Test
    void errorPageDoesNotCostTheConnection() throws Exception {
        failureFor(500);
        assertThrows(TransferFailure.class, () -> open(server.uri("/again")));
        List<TestServer.Seen> seen = server.seen();
        assertEquals(seen.get(0).connectionId(), seen.get(1).connectionId());
    }

    @Test
    void unknownHostIsATransientNameNotResolved() throws Exception {
        DnsResolver nowhere = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                throw new UnknownHostException(host);
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                throw new UnknownHostException(host);
            }
        };
        try (HttpTransport t = HttpTransport.create(HttpTransportConfig.defaults(), nowhere, null)) {
            TransferFailure f = assertThrows(TransferFailure.class, () -> t.open(new RemoteRequest(
                    URI.create("http://no-such-host.invalid/f"), 0, Validator.NONE, "alice", "{}")));
            assertEquals(BitsCodes.E_NAME_NOT_RESOLVED, f.error().code());
            assertEquals(ErrorContext.GENERAL_TRANSPORT, f.error().context());
            assertTrue(f.error().transientError());
            assertTrue(f.getMessage().contains("cannot resolve host no-such-host.invalid"), f.getMessage());
        }
    }

    @Test
    void refusedConnectionIsAPlainIoException() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI uri = URI.create("http://127.0.0.1:" + port + "/f");
        IOException e = assertThrows(IOException.class, () -> open(uri));
        assertTrue(e.getMessage().contains("cannot connect to 127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void redirectIsFollowedAndFinalUriIsTheAnsweringOne() throws Exception {
        other = TestServer.http(RangeEntity.of(ENTITY, "\"e\"", null));
        server = TestServer.http(redirectTo(other.uri("/real")));
        RemoteBody body = open(server.uri("/moved"));
        assertEquals(other.uri("/real"), body.finalUri());
        assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(Bodies.readAll(body)));
    }

    @Test
    void relativeRedirectsResolveAgainstTheRequest() throws Exception {
        server = TestServer.http((request, response) -> {
            if (request.getHttpURI().getPath().equals("/a/start")) {
                redirect(response, 307, "next");
            } else {
                TestServer.send(response, 200, ENTITY);
            }
        });
        RemoteBody body = open(server.uri("/a/start"));
        assertEquals(server.uri("/a/next"), body.finalUri());
        assertEquals(ENTITY.length, Bodies.readAll(body).length);
    }

    @Test
    void redirectLoopIsFatal() throws Exception {
        server = TestServer.http((request, response) ->
                redirect(response, 302, request.getHttpURI().getPath().equals("/a") ? "/b" : "/a"));
        TransferFailure f = assertThrows(TransferFailure.class, () -> open(server.uri("/a")));
        assertEquals(BitsCodes.E_REDIRECT_FAILED, f.error().code());
        assertFalse(f.error().transientError());
        assertEquals(2, server.seen().size());
    }

    @Test
    void moreThanTenRedirectsAreFatal() throws Exception {
        server = TestServer.http((request, response) -> {
            int n = Integer.parseInt(request.getHttpURI().getPath().substring(1));
            redirect(response, 301, "/" + (n + 1));
        });
        TransferFailure f = assertThrows(TransferFailure.class, () -> open(server.uri("/0")));
        assertEquals(BitsCodes.E_REDIRECT_FAILED, f.error().code());
        assertFalse(f.error().transientError());
        assertEquals(11, server.seen().size());
    }

    @Test
    void redirectOutOfHttpIsRefused() throws Exception {
        server = TestServer.http(redirectTo(URI.create("file:///etc/passwd")));
        TransferFailure f = assertThrows(TransferFailure.class, () -> open(server.uri("/f")));
        assertEquals(BitsCodes.E_REDIRECT_FAILED, f.error().code());
        assertTrue(f.getMessage().contains("file:///etc/passwd"), f.getMessage());
    }

    static TestServer.Exchange redirectTo(URI target) {
        return (request, response) -> redirect(response, 302, target.toString());
    }

    static void redirect(org.eclipse.jetty.server.Response response, int status, String location) throws Exception {
        response.getHeaders().put(HttpHeader.LOCATION, location);
        TestServer.send(response, status, "moved".getBytes());
    }
}
