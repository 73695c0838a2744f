package io.jbits.transport.http;

import io.jbits.spi.JobOptions;
import io.jbits.spi.RateSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * A receive buffer ({@code SO_RCVBUF}) per request rather than per client: the engine asks for one sized from the
 * job's rate limit (docs/background-transfers.md §3.5), and the connection that request opens gets it <em>before</em>
 * connect, when the kernel picks the TCP window scale. A bounded buffer is what makes a cap hold on the wire: the
 * kernel cannot take in more than the buffer ahead of the paced reads, so the sender is held back by the window.
 *
 * <p>The size travels in the request's context ({@link #ATTRIBUTE}); pooled connections carry it in their user token
 * so a connection opened with one size is not reused for a request that wants another.
 */
final class ReceiveBuffers {
    /** The context attribute holding the receive buffer size in bytes (an Integer), absent for the default. */
    static final String ATTRIBUTE = "jbits.receive-buffer";

    private ReceiveBuffers() {
    }

    /** A pool builder whose connections take their receive buffer size from the request context. */
    static PoolingHttpClientConnectionManagerBuilder poolBuilder() {
        return new PoolingHttpClientConnectionManagerBuilder() {
            @Override
            protected HttpClientConnectionOperator createConnectionOperator(SchemePortResolver ports, DnsResolver dns,
                                                                            TlsSocketStrategy tls) {
                return new Operator(super.createConnectionOperator(ports, dns, tls));
            }
        };
    }

    /** The receive buffer a request's options ask for ({@link RateSettings#receiveBufferBytes()}); 0: the default. */
    static long bytes(String options) {
        try {
            return RateSettings.from(JobOptions.parse(options)).receiveBufferBytes();
        } catch (IllegalArgumentException e) {
            return 0; // options the engine wrote; unreadable ones only lose the tuning
        }
    }

    /**
     * Puts a request's receive buffer ({@link #bytes}) into its context, and into its connection user token, so pooled
     * connections of another size are not reused for it.
     */
    static void apply(HttpClientContext context, long bytes) {
        if (bytes > 0) {
            int size = (int) Math.min(bytes, Integer.MAX_VALUE);
            context.setAttribute(ATTRIBUTE, size);
            context.setUserToken(new SizedToken(context.getUserToken(), size));
        }
    }

    /** A connection user token with the receive buffer size its connection was opened with. */
    private record SizedToken(Object token, int receiveBufferBytes) {
    }

    /** The socket settings for one connection: {@code base} with the context's receive buffer, if it names one. */
    static SocketConfig forContext(SocketConfig base, HttpContext context) {
        Object size = context == null ? null : context.getAttribute(ATTRIBUTE);
        if (size instanceof Integer bytes && bytes > 0) {
            return SocketConfig.copy(base).setRcvBufSize(bytes).build();
        }
        return base;
    }

    /** Connects as the default operator does, with the receive buffer of the request's context. */
    record Operator(HttpClientConnectionOperator delegate) implements HttpClientConnectionOperator {
        @Override
        public void connect(ManagedHttpClientConnection conn, HttpHost host, InetSocketAddress localAddress,
                            TimeValue connectTimeout, SocketConfig socketConfig, HttpContext context)
                throws IOException {
            delegate.connect(conn, host, localAddress, connectTimeout, forContext(socketConfig, context), context);
        }

        @Override
        public void connect(ManagedHttpClientConnection conn, HttpHost host, NamedEndpoint endpointName,
                            InetSocketAddress localAddress, Timeout connectTimeout, SocketConfig socketConfig,
                            Object attachment, HttpContext context) throws IOException {
            delegate.connect(conn, host, endpointName, localAddress, connectTimeout,
                    forContext(socketConfig, context), attachment, context);
        }

        @Override
        public void connect(ManagedHttpClientConnection conn, HttpHost host, NamedEndpoint endpointName,
                            Path unixDomainSocket, InetSocketAddress localAddress, Timeout connectTimeout,
                            SocketConfig socketConfig, Object attachment, HttpContext context) throws IOException {
            delegate.connect(conn, host, endpointName, unixDomainSocket, localAddress, connectTimeout,
                    forContext(socketConfig, context), attachment, context);
        }

        @Override
        public void upgrade(ManagedHttpClientConnection conn, HttpHost host, HttpContext context) throws IOException {
            delegate.upgrade(conn, host, context);
        }

        @Override
        public void upgrade(ManagedHttpClientConnection conn, HttpHost host, NamedEndpoint endpointName,
                            Object attachment, HttpContext context) throws IOException {
            delegate.upgrade(conn, host, endpointName, attachment, context);
        }
    }
}
