package io.jbits.transport.http.upload;

import io.jbits.transport.http.HttpTransportConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends one {@code BITS_POST} packet and reads its Ack, on a pooled keep-alive connection of the packet's owner
 * (HttpClient's connection "user token", as {@code HttpTransport} does for downloads), so the fragments of an upload
 * follow each other on one connection and owners never share one.
 */
final class PacketSender implements AutoCloseable {

    /** The request method of every packet ([MC-BUP] §2.2). */
    static final String METHOD = "BITS_POST";

    /** Ack bodies are empty; an error page up to this size is read to keep the connection, a longer one is not. */
    private static final int MAX_DRAIN_BYTES = 64 * 1024;
    private static final TimeValue MAX_IDLE = TimeValue.ofSeconds(30);
    private static final TimeValue VALIDATE_AFTER_IDLE = TimeValue.ofSeconds(2);

    private final CloseableHttpClient client;

    private PacketSender(CloseableHttpClient client) {
        this.client = client;
    }

    /** A sender with its own connection pool, configured as the download transport's. */
    static PacketSender create(HttpTransportConfig config) {
        Timeout response = Timeout.of(config.responseTimeout());
        SocketConfig.Builder socket = SocketConfig.custom()
                .setTcpNoDelay(true)
                .setSoKeepAlive(true)
                .setSoTimeout(response);
        if (config.receiveBufferBytes() > 0) {
            socket.setRcvBufSize(config.receiveBufferBytes());
        }
        var pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultSocketConfig(socket.build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(config.connectTimeout()))
                        .setSocketTimeout(response)
                        .setValidateAfterInactivity(VALIDATE_AFTER_IDLE)
                        .build())
                .setMaxConnPerRoute(config.maxConnectionsPerRoute())
                .setMaxConnTotal(config.maxConnectionsTotal())
                .setTlsSocketStrategy(DefaultClientTlsStrategy.createSystemDefault())
                .build();
        RequestConfig request = RequestConfig.custom()
                .setResponseTimeout(response)
                .setConnectionRequestTimeout(response)
                .setRedirectsEnabled(false)
                .setContentCompressionEnabled(false)
                .setProtocolUpgradeEnabled(false)
                .setExpectContinueEnabled(false)
                .build();
        return new PacketSender(HttpClients.custom()
                .setConnectionManager(pool)
                .setDefaultRequestConfig(request)
                .setUserAgent(config.userAgent())
                .disableRedirectHandling()
                .disableContentCompression()
                .disableCookieManagement()
                .disableAuthCaching()
                .setRetryStrategy(new StaleConnectionRetry())
                .evictIdleConnections(MAX_IDLE)
                .build());
    }

    /**
     * Sends a packet of {@code type} to {@code uri} and returns its Ack.
     *
     * @param body the Fragment's body, or null for the empty body of every other packet
     * @param headers further header names and values, in pairs; a null value leaves its header out
     * @throws IOException as HttpClient throws it (the caller classifies it)
     */
    Ack send(URI uri, String owner, String type, HttpEntity body, String... headers) throws IOException {
        HttpUriRequestBase post = new HttpUriRequestBase(METHOD, uri);
        post.setHeader("BITS-Packet-Type", type);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            if (headers[i + 1] != null) {
                post.setHeader(headers[i], headers[i + 1]);
            }
        }
        // An entity, even an empty one, makes HttpClient send the Content-Length that every packet needs.
        post.setEntity(body != null ? body : new ByteArrayEntity(new byte[0], null));
        HttpClientContext context = HttpClientContext.create();
        context.setUserToken(new ConnectionOwner(owner));
        ClassicHttpResponse response = client.executeOpen(HttpHost.create(uri), post, context);
        Ack ack = Ack.of(response);
        finish(post, response);
        return ack;
    }

    /** Reads a short body to its end so the connection is reused; drops the connection instead for a long one. */
    private static void finish(HttpUriRequestBase post, ClassicHttpResponse response) {
        HttpEntity entity = response.getEntity();
        try {
            if (entity != null) {
                if (entity.getContentLength() > MAX_DRAIN_BYTES) {
                    post.cancel();
                } else {
                    try (InputStream in = entity.getContent()) {
                        long drained = 0;
                        byte[] sink = new byte[8192];
                        for (int n = in.read(sink); n >= 0 && drained <= MAX_DRAIN_BYTES; n = in.read(sink)) {
                            drained += n;
                        }
                        if (drained > MAX_DRAIN_BYTES) {
                            post.cancel();
                        }
                    }
                }
            }
        } catch (IOException e) {
            post.cancel();
        } finally {
            try {
                response.close();
            } catch (IOException e) {
                // The connection is gone either way.
            }
        }
    }

    /** Closes the connection pool. */
    @Override
    public void close() throws IOException {
        client.close();
    }

    /** The connection "user token": a pooled connection is leased again only for an equal owner. */
    private record ConnectionOwner(String owner) {
    }

    /**
     * Resends a packet once when a kept-alive connection turns out closed by the server before it answered. Every
     * packet is safe to resend: Ping and the session ends are idempotent, a repeated fragment is trimmed by the
     * server, and a Create-Session whose Ack was lost leaves at most a session the server expires.
     */
    private static final class StaleConnectionRetry implements HttpRequestRetryStrategy {
        @Override
        public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
            return execCount <= 1 && exception instanceof NoHttpResponseException;
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
