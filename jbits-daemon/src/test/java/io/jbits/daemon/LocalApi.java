package io.jbits.daemon;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;

/**
 * Raw bytes to a running {@link ApiServer} through Jetty's in-process connector ({@link LocalConnector}), and the
 * raw answer back: the same Jetty server, HTTP configuration and API handler as its Unix socket, handled on the
 * caller's thread, without the selector, the accepting thread and the virtual-thread hand-offs of a socket. Each
 * connection's transport is a real Unix socket connected from this process, so {@link PeerCheck} reads the
 * caller's user from {@code SO_PEERCRED} as it does for a client of the socket. Each request is a connection of its
 * own, half-closed after the request, as {@link RawExchange} sends it.
 */
final class LocalApi implements AutoCloseable {
    private final Direct connector;
    private final ServerSocketChannel listener;
    private final SocketChannel client;
    private final SocketChannel peer;

    /** A connector whose caller opens each connection, its request and end of input already queued. */
    private static final class Direct extends LocalConnector {
        private final SocketChannel peer;

        Direct(Server server, HttpConnectionFactory factory, SocketChannel peer) {
            super(server, null, null, new ArrayByteBufferPool(), 1, factory);
            this.peer = peer;
        }

        LocalEndPoint newEndPoint() {
            return new LocalEndPoint() {
                /* Jetty's work for this connection runs on the caller's thread: the request is in memory whole,
                   so nothing waits for bytes, and hand-offs to other threads were most of an input's time. */
                @Override
                protected void execute(Runnable task) {
                    task.run();
                }

                @Override
                public Object getTransport() {
                    return peer;
                }
            };
        }

        /** Opens {@code endPoint} with {@code request} and then the end of the stream, as Jetty's accept does. */
        void open(LocalEndPoint endPoint, byte[] request) {
            endPoint.addInput(ByteBuffer.wrap(request));
            endPoint.addInputEOF();
            Connection connection = getDefaultConnectionFactory().newConnection(this, endPoint);
            endPoint.setConnection(connection);
            endPoint.onOpen();
            onEndPointOpened(endPoint);
            connection.onOpen();
        }
    }

    private LocalApi(Direct connector, ServerSocketChannel listener, SocketChannel client, SocketChannel peer) {
        this.connector = connector;
        this.listener = listener;
        this.client = client;
        this.peer = peer;
    }

    /** Adds an in-process connector to {@code api}'s Jetty server; {@code dir} holds its peer socket. */
    static LocalApi attach(ApiServer api, Path dir) throws Exception {
        Field field = ApiServer.class.getDeclaredField("server"); // the one Jetty server; ApiServer does not lend it
        field.setAccessible(true);
        Server jetty = (Server) field.get(api);
        HttpConnectionFactory unix = jetty.getConnectors()[0].getConnectionFactory(HttpConnectionFactory.class);
        HttpConnectionFactory local = new HttpConnectionFactory(unix.getHttpConfiguration());
        local.setInputBufferSize(unix.getInputBufferSize());
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("peer.sock"));
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(address);
        SocketChannel client = SocketChannel.open(address);
        SocketChannel peer = listener.accept();
        Direct connector = new Direct(jetty, local, peer);
        jetty.addConnector(connector);
        if (!connector.isStarted()) {
            connector.start();
        }
        return new LocalApi(connector, listener, client, peer);
    }

    /**
     * The raw answer to raw bytes on a new connection, read until the server closes it; the watchdog cuts the
     * connection after 10 s (an event stream never ends), as {@link RawExchange} does.
     */
    String exchange(byte[] request, ScheduledExecutorService watchdog) {
        LocalConnector.LocalEndPoint endPoint = connector.newEndPoint();
        ScheduledFuture<?> cut = watchdog.schedule(() -> endPoint.close(), 10, TimeUnit.SECONDS);
        try {
            connector.open(endPoint, request);
            endPoint.waitUntilClosedOrIdleFor(10, TimeUnit.SECONDS);
        } finally {
            cut.cancel(false);
        }
        String answer = endPoint.takeOutputString(StandardCharsets.UTF_8);
        endPoint.close();
        return answer;
    }

    @Override
    public void close() throws IOException {
        try (listener; client; peer) {
            connector.stop();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
