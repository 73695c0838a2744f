package io.jbits.transport.http;

import java.io.IOException;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.HttpConnectionFactory;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Builds the HttpClient behind {@link HttpTransport} and the BITS upload client from an {@link HttpTransportConfig}:
 * one place for timeouts, socket options, pooling, the one retry HttpClient may make itself, and the hooks through
 * which each request's context picks its proxy, TLS set-up and credentials ({@link JobHttp}). Without them in the
 * context a request goes direct, with the service's TLS set-up and no credentials. Shared inside this module; not
 * an API.
 */
public final class HttpClientFactory {
    /**
     * Idle pooled connections are closed after this long ({@link IdleSweeper}), within a quarter more: long enough
     * for the next command's transfer to reuse them, short enough that an idle service soon holds no socket (and
     * its sweeper, then its carrier threads, go to sleep).
     */
    private static final TimeValue MAX_IDLE = TimeValue.ofSeconds(20);
    /**
     * Every lease of a pooled connection checks it for a server-side close and for bytes nobody asked for
     * ({@link StrictReuse}); the check costs about 2 ms on a healthy connection.
     */
    private static final TimeValue VALIDATE_AFTER_IDLE = TimeValue.ZERO_MILLISECONDS;

    private HttpClientFactory() {
    }

    /** A client for downloads: only a GET may be resent after a stale kept-alive connection. */
    static CloseableHttpClient build(HttpTransportConfig config, DnsResolver dnsResolver, SSLContext sslContext) {
        return build(config, dnsResolver, sslContext, "GET");
    }

    /**
     * A client whose requests of {@code staleRetryMethod} are resent once when a kept-alive connection turns out
     * closed before the server answered; null DNS resolver and TLS context mean the system's.
     */
    public static CloseableHttpClient build(HttpTransportConfig config, DnsResolver dnsResolver, SSLContext sslContext,
                                            String staleRetryMethod) {
        Timeout connect = Timeout.of(config.connectTimeout());
        Timeout response = Timeout.of(config.responseTimeout());
        SocketConfig.Builder socket = SocketConfig.custom()
                .setTcpNoDelay(true)
                .setSoKeepAlive(true)
                .setSoTimeout(response);
        if (config.receiveBufferBytes() > 0) {
            socket.setRcvBufSize(config.receiveBufferBytes());
        }
        IdleSweeper sweeper = new IdleSweeper(MAX_IDLE);
        HttpConnectionFactory<ManagedHttpClientConnection> connections = StrictReuse.connections();
        PoolingHttpClientConnectionManagerBuilder pool = ReceiveBuffers.poolBuilder()
                .setConnectionFactory(s -> {
                    sweeper.connectionMade();
                    return connections.createConnection(s);
                })
                .setDefaultSocketConfig(socket.build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(connect)
                        .setSocketTimeout(response)
                        .setValidateAfterInactivity(VALIDATE_AFTER_IDLE)
                        .build())
                .setMaxConnPerRoute(config.maxConnectionsPerRoute())
                .setMaxConnTotal(config.maxConnectionsTotal())
                .setTlsSocketStrategy(new JobHttp.TlsStrategy(() -> sslContext == null
                        ? DefaultClientTlsStrategy.createSystemDefault()
                        : new DefaultClientTlsStrategy(sslContext)));
        if (dnsResolver != null) {
            pool.setDnsResolver(dnsResolver);
        }
        PoolingHttpClientConnectionManager manager = pool.build();
        RequestConfig request = RequestConfig.custom()
                .setResponseTimeout(response)
                .setConnectionRequestTimeout(response)
                .setRedirectsEnabled(false)
                .setContentCompressionEnabled(false)
                .setProtocolUpgradeEnabled(false)
                .setExpectContinueEnabled(false)
                .setTargetPreferredAuthSchemes(HttpAuth.PREFERENCE)
                .setProxyPreferredAuthSchemes(HttpAuth.PREFERENCE)
                .build();
        sweeper.start(manager);
        HttpClientBuilder builder = new HttpClientBuilder() {
            {
                addCloseable(sweeper); // its thread ends with the client
            }
        };
        return builder
                .setConnectionManager(manager)
                .setDefaultRequestConfig(request)
                .setUserAgent(config.userAgent())
                .setRoutePlanner(new JobHttp.RoutePlanner())
                .setDefaultAuthSchemeRegistry(HttpAuth.registry())
                .setDefaultCredentialsProvider((scope, context) -> null)
                .disableRedirectHandling()
                .disableContentCompression()
                .disableCookieManagement()
                .disableAuthCaching()
                .setRetryStrategy(new StaleConnectionRetry(staleRetryMethod))
                .build();
    }

    /**
     * Retries a request of one method once when a kept-alive connection turns out closed by the server before it answered (the
     * classic race of keep-alive), and nothing else: the engine owns every other retry and its delays.
     */
    private record StaleConnectionRetry(String method) implements HttpRequestRetryStrategy {
        @Override
        public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
            return execCount <= 1 && exception instanceof NoHttpResponseException
                    && method.equalsIgnoreCase(request.getMethod());
        }

        @Override
        public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
            return false;
        }

        @Override
        public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
            return TimeValue.ZERO_MILLISECONDS;
        }
    }
}
