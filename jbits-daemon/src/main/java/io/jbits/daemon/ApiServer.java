package io.jbits.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;

/**
 * The service's REST API on a Unix socket (Jetty 12), one virtual thread per request and no platform thread
 * ({@link VirtualTaskPool}).
 *
 * <p>The socket file is made 0600 before the first connection is accepted: the connector binds with accepting
 * turned off, the mode is set, then accepting starts. Callers of another user are refused by {@link PeerCheck}
 * anyway, and the socket should sit in a 0700 directory, so there is no window at all.
 *
 * <p>Under socket activation ({@link SocketActivation}) the connector takes the listening socket systemd made, whose
 * mode the socket unit sets; the socket file is systemd's and is left in place at stop, so the next connection
 * starts the service again.
 */
final class ApiServer implements AutoCloseable {
    private final Server server;
    private final Path socket;
    private final ApiHandler handler;
    private final boolean inherited;

    private ApiServer(Server server, Path socket, ApiHandler handler, boolean inherited) {
        this.server = server;
        this.socket = socket;
        this.handler = handler;
        this.inherited = inherited;
    }

    /**
     * Binds the socket and starts answering.
     *
     * @throws IOException when the socket cannot be bound (in use, path too long, directory missing)
     */
    public static ApiServer start(ApiConfig config) throws IOException {
        return start(config, false);
    }

    /**
     * Starts answering on {@code config.socket()}: on the inherited listening socket when {@code inherited} (the
     * caller found it with {@link SocketActivation}), else on one bound here.
     */
    static ApiServer start(ApiConfig config, boolean inherited) throws IOException {
        Server server = new Server(new VirtualTaskPool("jbits-api"), VirtualTaskPool.scheduler("jbits-api"), null);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        UnixDomainServerConnector connector = new UnixDomainServerConnector(server, new HttpConnectionFactory(http));
        if (inherited) {
            connector.setInheritChannel(true);
            /* Jetty deletes its path when it stops; the real socket file is systemd's and must stay. */
            connector.setUnixDomainPath(config.home().resolve("jbits.sock.inherited"));
        } else {
            connector.setUnixDomainPath(config.socket());
        }
        connector.setAccepting(false);
        server.addConnector(connector);
        ApiHandler handler = new ApiHandler(config);
        server.setHandler(handler);
        server.setErrorHandler(new ApiErrors());
        server.setStopTimeout(2_000);
        try {
            server.start();
            if (!inherited) {
                Files.setPosixFilePermissions(config.socket(), PosixFilePermissions.fromString("rw-------"));
            }
            connector.setAccepting(true);
        } catch (Exception e) {
            handler.close();
            stopQuietly(server);
            throw new IOException("cannot serve the API on " + config.socket() + ": " + e.getMessage(), e);
        }
        return new ApiServer(server, config.socket(), handler, inherited);
    }

    /** The socket this server listens on. */
    public Path socket() {
        return socket;
    }

    /** Stops answering and removes the socket file (unless systemd made it). */
    @Override
    public void close() {
        handler.close();
        stopQuietly(server);
        if (inherited) {
            return;
        }
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
