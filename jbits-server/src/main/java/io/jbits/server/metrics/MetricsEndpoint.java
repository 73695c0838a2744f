package io.jbits.server.metrics;

import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A listener of its own for {@code GET /metrics}, apart from the upload port: its address can stay on loopback or a
 * management network while uploads face the world, and a scrape is answered even when the upload port is busy. Add
 * it to the upload server as a bean; it starts and stops with it.
 */
public final class MetricsEndpoint {

    private static final System.Logger LOG = System.getLogger(MetricsEndpoint.class.getName());

    /** The path Prometheus scrapes by default. */
    public static final String PATH = "/metrics";

    private final Server server;
    private final ServerConnector connector;
    private final String host;

    /** A listener on {@code host:port} (0 for a free port) serving {@code metrics}; not started yet. */
    public MetricsEndpoint(String host, int port, ServeMetrics metrics) {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("jbits-metrics");
        this.server = new Server(threads);
        this.connector = new ServerConnector(server, 1, 1);
        this.host = host;
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new MetricsHandler(metrics));
    }

    /** The Jetty server to add as a bean. */
    public Server server() {
        return server;
    }

    /** The scrape URL, once started. */
    public URI uri() {
        String authority = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return URI.create("http://" + authority + ":" + connector.getLocalPort() + PATH);
    }

    private static final class MetricsHandler extends Handler.Abstract.NonBlocking {
        private final ServeMetrics metrics;

        MetricsHandler(ServeMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (!PATH.equals(request.getHttpURI().getPath())) {
                Response.writeError(request, response, callback, 404);
                return true;
            }
            if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                Response.writeError(request, response, callback, 405);
                return true;
            }
            ByteArrayOutputStream text = new ByteArrayOutputStream(8192);
            try {
                metrics.writeTo(text);
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Cannot write the metrics", e);
                Response.writeError(request, response, callback, 500);
                return true;
            }
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, ServeMetrics.contentType());
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, text.size());
            boolean head = HttpMethod.HEAD.is(request.getMethod());
            response.write(true, head ? null : ByteBuffer.wrap(text.toByteArray()), callback);
            return true;
        }
    }
}
