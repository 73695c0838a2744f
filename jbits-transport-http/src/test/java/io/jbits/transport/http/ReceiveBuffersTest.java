package io.jbits.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.impl.io.DefaultManagedHttpClientConnection;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;

/** The receive buffer a request asks for reaches the socket settings of the connection it opens. */
class ReceiveBuffersTest {

    @Test
    void aRequestOptionBecomesTheContextsBufferAndPartOfItsUserToken() {
        HttpClientContext plain = HttpClientContext.create();
        plain.setUserToken("alice");
        ReceiveBuffers.apply(plain, ReceiveBuffers.bytes("{}"));
        assertNull(plain.getAttribute(ReceiveBuffers.ATTRIBUTE));
        assertEquals("alice", plain.getUserToken());

        HttpClientContext sized = HttpClientContext.create();
        sized.setUserToken("alice");
        ReceiveBuffers.apply(sized, ReceiveBuffers.bytes("{\"rate.receive-buffer\":65536}"));
        assertEquals(65536, sized.getAttribute(ReceiveBuffers.ATTRIBUTE));
        assertNotEquals("alice", sized.getUserToken(), "a sized connection is not reused for a plain request");

        HttpClientContext other = HttpClientContext.create();
        other.setUserToken("alice");
        ReceiveBuffers.apply(other, ReceiveBuffers.bytes("{\"rate.receive-buffer\":65536}"));
        assertEquals(sized.getUserToken(), other.getUserToken(), "same owner, same size: the connection is reused");
    }

    @Test
    void theOperatorConnectsWithTheBufferOfTheContext() throws Exception {
        List<SocketConfig> seen = new ArrayList<>();
        HttpClientConnectionOperator recorder = new HttpClientConnectionOperator() {
            @Override
            public void connect(ManagedHttpClientConnection conn, HttpHost host, InetSocketAddress local,
                                TimeValue timeout, SocketConfig config, HttpContext context) {
                seen.add(config);
            }

            @Override
            public void connect(ManagedHttpClientConnection conn, HttpHost host, NamedEndpoint name,
                                InetSocketAddress local, Timeout timeout, SocketConfig config, Object attachment,
                                HttpContext context) {
                seen.add(config);
            }

            @Override
            public void connect(ManagedHttpClientConnection conn, HttpHost host, NamedEndpoint name, Path unix,
                                InetSocketAddress local, Timeout timeout, SocketConfig config, Object attachment,
                                HttpContext context) {
                seen.add(config);
            }

            @Override
            public void upgrade(ManagedHttpClientConnection conn, HttpHost host, HttpContext context) {
            }
        };
        ReceiveBuffers.Operator op = new ReceiveBuffers.Operator(recorder);
        SocketConfig base = SocketConfig.custom().setSoKeepAlive(true).build();
        HttpClientContext context = HttpClientContext.create();
        context.setAttribute(ReceiveBuffers.ATTRIBUTE, 131072);
        HttpHost host = new HttpHost("http", "127.0.0.1", 80);
        op.connect(null, host, host, null, Timeout.ofSeconds(1), base, null, context);
        op.connect(null, host, host, null, null, Timeout.ofSeconds(1), base, null, context);
        op.connect(null, host, null, TimeValue.ofSeconds(1), base, HttpClientContext.create());
        assertEquals(131072, seen.get(0).getRcvBufSize());
        assertEquals(131072, seen.get(1).getRcvBufSize());
        assertEquals(true, seen.get(0).isSoKeepAlive(), "the other settings stay");
        assertEquals(0, seen.get(2).getRcvBufSize(), "no buffer asked for: the OS default");
    }

    @Test
    void theBufferReachesTheRealSocket() throws Exception {
        // HttpClient's default operator applies SocketConfig's receive buffer before connect (so the window scale
        // fits it); here: that the size asked for is the size the connected socket has (the default is 128 KiB).
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            HttpClientContext context = HttpClientContext.create();
            context.setAttribute(ReceiveBuffers.ATTRIBUTE, 65536);
            var pool = ReceiveBuffers.poolBuilder().setDefaultSocketConfig(SocketConfig.DEFAULT).build();
            var route = new org.apache.hc.client5.http.HttpRoute(new HttpHost("http", "127.0.0.1",
                    server.getLocalPort()));
            var endpoint = pool.lease("t", route, Timeout.ofSeconds(5), null).get(Timeout.ofSeconds(5));
            pool.connect(endpoint, TimeValue.ofSeconds(5), context);
            try (Socket accepted = server.accept()) {
                Socket client = socketOf(endpoint);
                assertEquals(65536, client.getReceiveBufferSize());
            } finally {
                endpoint.close();
                pool.close();
            }
        }
    }

    private static Socket socketOf(Object endpoint) throws Exception {
        var getConn = endpoint.getClass().getDeclaredMethod("getValidatedPoolEntry");
        getConn.setAccessible(true);
        Object entry = getConn.invoke(endpoint);
        Object conn = entry.getClass().getMethod("getConnection").invoke(entry);
        return ((DefaultManagedHttpClientConnection) conn).getSocket();
    }
}
