package io.jbits.server;

import io.jbits.server.auth.BasicAuthHandler;
import io.jbits.server.auth.ClientCertificateHandler;
import io.jbits.server.metrics.MetricsEndpoint;
import io.jbits.server.tls.HttpsContexts;
import io.jbits.server.tls.TlsFiles;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.AllowedResourceAliasChecker;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A running {@code jbits serve}: an HTTP server (Jetty 12) that serves the files under one directory with HEAD,
 * byte ranges, strong ETags, Last-Modified and the conditional headers, and never anything outside that directory.
 *
 * <pre>{@code
 * try (FileServer server = FileServer.start(new ServeConfig(dir, "127.0.0.1", 0))) {
 *     URI base = server.baseUri();   // http://127.0.0.1:41234/
 *     ...
 * }
 * }</pre>
 *
 * <p>Other handlers (the BITS upload protocol) join through {@link #builder}: they see every request first, and a
 * request they do not handle goes on to the files. {@code GET /healthz} answers {@code ok} before any of them.
 * Requests run on virtual threads.
 */
public final class FileServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FileServer.class.getName());
    private static final int INPUT_BUFFER_BYTES = 256 * 1024;
    /**
     * The most pooled buffer memory kept between requests, direct and heap each: room for the read buffers of about
     * a hundred busy connections. Jetty's default pool keeps no buffer over 64 KiB, so without a pool of our own
     * every connection allocated (and zeroed) a fresh 256 KiB read buffer, freed only when a collection found it:
     * the server's memory grew with its connection rate, not its load.
     */
    private static final long POOLED_BYTES = 32L * 1024 * 1024;

    /**
     * How long a connection may stay silent, in a request head, a body or between requests, before it is closed:
     * Jetty's own default, which bounds how long a slow or stalled client holds a connection.
     */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    /** How long a stop waits for requests in flight: a fragment on a slow link, well inside systemd's 90 s. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Server server;
    private final ServerConnector connector;
    private final ServeConfig config;
    private final boolean https;
    private final MetricsEndpoint metrics;

    private FileServer(Server server, ServerConnector connector, ServeConfig config, boolean https,
            MetricsEndpoint metrics) {
        this.server = server;
        this.connector = connector;
        this.config = config;
        this.https = https;
        this.metrics = metrics;
    }

    /**
     * Starts serving {@code config.root()}.
     *
     * @throws IOException when the root is not a directory or the address cannot be bound (port in use)
     */
    public static FileServer start(ServeConfig config) throws IOException {
        return builder(config).start();
    }

    /** A builder for a server with extra handlers in front of the files. */
    public static Builder builder(ServeConfig config) {
        return new Builder(config);
    }

    /** The port actually bound: the configured one, or the one the OS chose for port 0. */
    public int port() {
        return connector.getLocalPort();
    }

    /**
     * The URI of the root directory, with a trailing slash, {@code https} when the server has a certificate; a
     * wildcard bind address becomes loopback.
     */
    public URI baseUri() {
        String host = config.bindAddress();
        try {
            InetAddress address = InetAddress.getByName(host);
            if (address.isAnyLocalAddress()) {
                host = address.getAddress().length == 4 ? "127.0.0.1" : "::1";
            }
        } catch (UnknownHostException e) {
            // Keep the name as configured.
        }
        String authority = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return URI.create((https ? "https" : "http") + "://" + authority + ":" + port() + "/");
    }

    /** The URL Prometheus scrapes, or null without a metrics listener. */
    public URI metricsUri() {
        return metrics == null ? null : metrics.uri();
    }

    /** The served directory, as a real path. */
    public Path root() {
        return config.root();
    }

    /** Blocks until the server stops (by {@link #close} from another thread). */
    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Stops accepting, lets the requests in flight finish (for the stop timeout at most; a fragment cut then is not
     * acknowledged, so its session stays at its last Ack), and releases the port.
     */
    @Override
    public void close() {
        if (server.isStopping() || server.isStopped()) {
            return;
        }
        try {
            server.stop();
            LOG.log(Level.INFO, "Stopped serving {0}", config.root());
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Stopping the server of " + config.root() + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "FileServer[" + config.root() + " at " + (server.isStarted() ? baseUri() : "(stopped)") + "]";
    }

    /** Assembles a {@link FileServer} with handlers that come before the file handler. */
    public static final class Builder {
        private final ServeConfig config;
        private final List<Handler> handlers = new ArrayList<>();
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private TlsFiles tls;
        private BasicAuthHandler authentication;
        private Path clientCa;
        private TrustedProxies trustedProxies;
        private RequestLog accessLog;
        private MetricsEndpoint metrics;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private Duration watchInterval = FileWatch.DEFAULT_INTERVAL;

        private Builder(ServeConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * Adds a handler that sees each request before the files do, in the order added. It handles a request by
         * returning true from {@code handle}; returning false passes the request on.
         */
        public Builder handler(Handler handler) {
            handlers.add(Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /**
         * Closes connections silent for longer than {@code timeout} ({@link #DEFAULT_IDLE_TIMEOUT} otherwise): a
         * client that stalls in a request head or a fragment body loses its connection, and a fragment cut that way
         * is not acknowledged, so its session stays at the last acknowledged byte.
         */
        public Builder idleTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idle timeout " + timeout + " is not positive");
            }
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * Serves HTTPS only, with the certificate chain and key of {@code files} (PEM), reloaded when they change.
         */
        public Builder tls(TlsFiles files) {
            this.tls = Objects.requireNonNull(files, "files");
            return this;
        }

        /**
         * Lets only the users of {@code handler} in: every request but {@code GET /healthz} goes through it, the
         * upload handlers and the files alike.
         */
        public Builder authentication(BasicAuthHandler handler) {
            this.authentication = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Lets clients authenticate by a certificate issued by a CA of the PEM bundle {@code caFile} (with
         * {@link #tls}): the certificate's subject CN is the user, without a password. With {@link #authentication}
         * a client without a certificate still authenticates by password; without it, a certificate is required.
         */
        public Builder clientCertificates(Path caFile) {
            this.clientCa = Objects.requireNonNull(caFile, "caFile");
            return this;
        }

        /**
         * Believes the {@code X-Forwarded-For}, {@code Forwarded}, {@code X-Forwarded-Proto} and
         * {@code X-Forwarded-Host} headers of requests from these proxies (and of no others): the client address that
         * session limits and login throttling count by, and the scheme that decides whether a password may be sent.
         */
        public Builder trustedProxies(TrustedProxies proxies) {
            this.trustedProxies = Objects.requireNonNull(proxies, "proxies");
            return this;
        }

        /** Logs every request to {@code log} ({@link AccessLog}). */
        public Builder accessLog(RequestLog log) {
            this.accessLog = Objects.requireNonNull(log, "log");
            return this;
        }

        /** Serves metrics on a listener of their own, started and stopped with this server. */
        public Builder metrics(MetricsEndpoint endpoint) {
            this.metrics = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /**
         * How long {@link FileServer#close} waits for requests in flight ({@link #DEFAULT_STOP_TIMEOUT} otherwise);
         * new requests meanwhile get 503.
         */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How often changed files (certificate, key) are looked for; {@link FileWatch#DEFAULT_INTERVAL} otherwise. */
        public Builder watchInterval(Duration interval) {
            this.watchInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Binds and starts the server.
         *
         * @throws IOException when the root is not a directory or the address cannot be bound
         */
        public FileServer start() throws IOException {
            if (!Files.isDirectory(config.root())) {
                throw new IOException("cannot serve " + config.root() + ": not a directory");
            }
            if (clientCa != null && tls == null) {
                throw new IllegalStateException("client certificates need TLS");
            }
            // The real path: Jetty treats a base directory reached through a symlink as an alias of itself.
            ServeConfig real = new ServeConfig(config.root().toRealPath(), config.bindAddress(), config.port());

            QueuedThreadPool threads = new QueuedThreadPool();
            threads.setName("jbits-serve");
            threads.setVirtualThreadsExecutor(
                    Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("jbits-serve-vt-", 0).factory()));
            // Buckets of 4 KiB steps up to the read buffer's size (Jetty's default stops at 64 KiB).
            ArrayByteBufferPool buffers = new ArrayByteBufferPool(0, 4096, INPUT_BUFFER_BYTES, -1, POOLED_BYTES,
                    POOLED_BYTES);
            Server server = new Server(threads, null, buffers);

            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            if (trustedProxies != null) {
                http.addCustomizer(new ForwardedClient(trustedProxies));
            }
            HttpConnectionFactory factory = new HttpConnectionFactory(http);
            // Uploads stream megabytes per request: read the socket in large chunks, not Jetty's default 8 KiB.
            factory.setInputBufferSize(INPUT_BUFFER_BYTES);
            ServerConnector connector;
            if (tls == null) {
                connector = new ServerConnector(server, factory);
            } else {
                SslContextFactory.Server ssl = HttpsContexts.serverContext(tls);
                if (clientCa != null) {
                    HttpsContexts.trustClients(ssl, clientCa, authentication == null);
                }
                // One certificate for every name: no check of the Host header against the SNI name.
                http.addCustomizer(new SecureRequestCustomizer(false));
                connector = new ServerConnector(server, new SslConnectionFactory(ssl, factory.getProtocol()), factory);
                server.addBean(HttpsContexts.reloader(ssl, tls, watchInterval));
            }
            connector.setHost(real.bindAddress());
            connector.setPort(real.port());
            connector.setIdleTimeout(idleTimeout.toMillis());
            server.addConnector(connector);

            ContextHandler context = new ContextHandler("/");
            context.setBaseResourceAsPath(real.root());
            // Jetty's default on Unix follows every symlink; this one allows only targets inside the root.
            context.clearAliasChecks();
            context.addAliasCheck(new AllowedResourceAliasChecker(context));
            List<Handler> chain = new ArrayList<>(handlers);
            chain.add(new StaticFileHandler());
            Handler served = new Handler.Sequence(chain);
            if (authentication != null) {
                authentication.setHandler(served);
                served = authentication;
            }
            if (clientCa != null) {
                ClientCertificateHandler certificates = new ClientCertificateHandler(authentication == null);
                certificates.setHandler(served);
                served = certificates;
            }
            context.setHandler(new Handler.Sequence(new HealthHandler(), served));
            // Graceful stop: no new requests, and those running may finish (a fragment is at most some megabytes).
            server.setHandler(new GracefulHandler(context));
            server.setStopTimeout(stopTimeout.toMillis());
            if (accessLog != null) {
                server.setRequestLog(accessLog);
            }
            if (metrics != null) {
                server.addBean(metrics.server());
            }

            try {
                server.start();
            } catch (Exception e) {
                stopQuietly(server, e);
                throw new IOException("cannot serve " + real.root() + " on " + real.bindAddress() + ":" + real.port()
                        + ": " + e.getMessage(), e);
            }
            FileServer fileServer = new FileServer(server, connector, real, tls != null, metrics);
            LOG.log(Level.INFO, "Serving {0} at {1}", real.root(), fileServer.baseUri());
            return fileServer;
        }

        private static void stopQuietly(Server server, Exception failure) {
            try {
                server.stop();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
