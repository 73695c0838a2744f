package io.jbits.transport.http;

import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** A Jetty server on 127.0.0.1 and a free port that answers with one test's exchange and records every request. */
final class TestServer {

    /** What one test's server does with a request; runs on a thread that may block. */
    @FunctionalInterface
    interface Exchange {
        void handle(Request request, Response response) throws Exception;
    }

    /** One request as the server saw it. */
    record Seen(String path, String connectionId, String range, String ifRange, String acceptEncoding,
                String userAgent, int clientPort, String authorization, HttpFields headers) {
    }

    private final Server server = new Server();
    private final ServerConnector connector;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private TestServer(Exchange exchange, Path keyStore, String password) throws Exception {
        this(exchange, keyStore, password, null);
    }

    private TestServer(Exchange exchange, Path keyStore, String password, Path clientCa) throws Exception {
        if (keyStore == null) {
            connector = new ServerConnector(server);
        } else {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(keyStore.toString());
            tls.setKeyStorePassword(password);
            if (clientCa != null) {
                tls.setTrustStorePath(clientCa.toString());
                tls.setTrustStorePassword(password);
                tls.setNeedClientAuth(true);
            }
            org.eclipse.jetty.server.HttpConfiguration http = new org.eclipse.jetty.server.HttpConfiguration();
            org.eclipse.jetty.server.SecureRequestCustomizer secure =
                    new org.eclipse.jetty.server.SecureRequestCustomizer();
            secure.setSniHostCheck(false); // a test serves certificates for other names on purpose
            http.addCustomizer(secure);
            connector = new ServerConnector(server, tls, new HttpConnectionFactory(http));
        }
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                seen.add(new Seen(request.getHttpURI().getPath(), request.getConnectionMetaData().getId(),
                        request.getHeaders().get(HttpHeader.RANGE), request.getHeaders().get(HttpHeader.IF_RANGE),
                        request.getHeaders().get(HttpHeader.ACCEPT_ENCODING),
                        request.getHeaders().get(HttpHeader.USER_AGENT),
                        ((java.net.InetSocketAddress) request.getConnectionMetaData().getRemoteSocketAddress())
                                .getPort(),
                        request.getHeaders().get(HttpHeader.AUTHORIZATION), request.getHeaders().asImmutable()));
                try {
                    exchange.handle(request, response);
                    callback.succeeded();
                } catch (Throwable e) {
                    callback.failed(e);
                }
                return true;
            }
        });
        server.start();
    }

    static TestServer http(Exchange exchange) throws Exception {
        return new TestServer(exchange, null, null);
    }

    static TestServer https(Exchange exchange, Path keyStore, String password) throws Exception {
        return new TestServer(exchange, keyStore, password);
    }

    /** The URL of {@code path} with {@code host} as the host name (another name for the same server). */
    URI uri(String host, String path) {
        return URI.create(uri(path).toString().replace("127.0.0.1", host));
    }

    /** An HTTPS server that requires a client certificate issued by a CA of the {@code clientCa} key store. */
    static TestServer httpsWithClientCertificates(Exchange exchange, Path keyStore, String password, Path clientCa)
            throws Exception {
        return new TestServer(exchange, keyStore, password, clientCa);
    }

    URI uri(String path) {
        String scheme = connector.getDefaultConnectionFactory() instanceof HttpConnectionFactory ? "http" : "https";
        return URI.create(scheme + "://127.0.0.1:" + connector.getLocalPort() + path);
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    void close() throws Exception {
        server.stop();
    }

    /** Sends {@code bytes} with a Content-Length. */
    static void send(Response response, int status, byte[] bytes) throws Exception {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            out.write(bytes);
        }
    }

    /** Sends {@code bytes} chunked, without a Content-Length. */
    static void sendChunked(Response response, byte[] bytes) throws Exception {
        response.setStatus(200);
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            int half = bytes.length / 2;
            out.write(bytes, 0, half);
            out.flush();
            out.write(bytes, half, bytes.length - half);
        }
    }
}
