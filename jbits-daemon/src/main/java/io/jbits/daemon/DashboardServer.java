package io.jbits.daemon;

import io.jbits.api.BitsCodes;
import io.jbits.rest.Json;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The web dashboard's listener: a Jetty server on 127.0.0.1, started the first time the owner asks for it
 * ({@code jbits ui}) and stopped with the service. Only loopback: the dashboard is for the machine's own user.
 */
final class DashboardServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DashboardServer.class.getName());
    private static final String LOOPBACK = "127.0.0.1";

    private final Path stateDir;
    private final Handler api;
    private Server server;
    private DashboardToken token;
    private int port;

    /**
     * @param stateDir where the token is kept
     * @param api what answers {@code /v1/...}: the REST API's handler, without its Unix-socket peer check
     */
    DashboardServer(Path stateDir, Handler api) {
        this.stateDir = stateDir;
        this.api = api;
    }

    /**
     * Starts listening unless it does already, and answers where and with which token.
     *
     * @param requestedPort the port, or 0 for any free one
     * @throws Refusal 409 when it listens already on another port than a requested one
     * @throws IOException when the port cannot be bound or the token cannot be kept
     */
    synchronized Json.Dashboard start(int requestedPort) throws IOException {
        if (server == null) {
            token = DashboardToken.inStateDirectory(stateDir);
            server = listen(requestedPort);
            LOG.log(Level.INFO, "dashboard listening on http://{0}:{1,number,#}/", LOOPBACK, port);
        } else if (requestedPort != 0 && requestedPort != port) {
            throw new Refusal(409, BitsCodes.BG_E_INVALID_STATE, "the dashboard listens on port " + port
                    + " already; it moves to another port when the service restarts");
        }
        return new Json.Dashboard("http://" + LOOPBACK + ":" + port + "/", port, token.text());
    }

    private Server listen(int requestedPort) throws IOException {
        Server s = new Server(new VirtualTaskPool("jbits-dashboard"), VirtualTaskPool.scheduler("jbits-dashboard"),
                null);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(s, new HttpConnectionFactory(http));
        connector.setHost(LOOPBACK);
        connector.setPort(requestedPort);
        s.addConnector(connector);
        s.setHandler(new DashboardHandler(token, DashboardFiles.load(), api));
        s.setStopTimeout(1_000);
        try {
            s.start();
        } catch (Exception e) {
            stopQuietly(s);
            throw new IOException("cannot serve the dashboard on " + LOOPBACK + ":" + requestedPort + ": "
                    + e.getMessage(), e);
        }
        port = connector.getLocalPort();
        return s;
    }

    /** Stops listening (the event streams of open pages end). */
    @Override
    public synchronized void close() {
        if (server != null) {
            stopQuietly(server);
            server = null;
        }
    }

    private static void stopQuietly(Server s) {
        try {
            s.stop();
        } catch (Exception e) {
            // Best effort: the service is stopping.
        }
    }
}
