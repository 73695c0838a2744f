package io.jbits.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The service's REST API on a Unix socket (Jetty 12), one virtual thread per request.
 *
 * <p>The socket file is made 0600 before the first connection is accepted: the connector binds with accepting
 * turned off, the mode is set, then accepting starts. Callers of another user are refused by {@link PeerCheck}
 * anyway, and the socket should sit in a 0700 directory, so there is no window at all.
 */
final class ApiServer implements AutoCloseable {
    private final Server server;
    private final Path socket;
    private final ApiHandler handler;

    private ApiServer(Server server, Path socket, ApiHandler handler) {
        this.server = server;
        this.socket = socket;
        this.handler = handler;
    }

    /**
     * Binds the socket and starts answering.
     *
     * @throws IOException when the socket cannot be bound (in use, path too long, directory missing)
     */
    public static ApiServer start(ApiConfig config) throws IOException {
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("jbits-api");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        UnixDomainServerConnector connector = new UnixDomainServerConnector(server, new HttpConnectionFactory(http));
        connector.setUnixDomainPath(config.socket());
        connector.setAccepting(false);
        server.addConnector(connector);
        ApiHandler handler = new ApiHandler(config);
        server.setHandler(handler);
        server.setStopTimeout(2_000);
        try {
            server.start();
            Files.setPosixFilePermissions(config.socket(), PosixFilePermissions.fromString("rw-------"));
            connector.setAccepting(true);
        } catch (Exception e) {
            handler.close();
            stopQuietly(server);
            throw new IOException("cannot serve the API on " + config.socket() + ": " + e.getMessage(), e);
        }
        return new ApiServer(server, config.socket(), handler);
    }

    /** The socket this server listens on. */
    public Path socket() {
        return socket;
    }

    /** Stops answering and removes the socket file. */
    @Override
    public void close() {
        handler.close();
        stopQuietly(server);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // A stale socket file is removed by the next daemon, which holds the lock first.
        }
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            // Stopping is best effort: the process is about to exit, or the test is over.
        }
    }
}
