package io.jbits.server.upload;

import io.jbits.server.FileServer;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Raw request bytes to a running {@link FileServer} through Jetty's in-process connector ({@link LocalConnector}),
 * and the head of the answer: the same Jetty server, HTTP parser, configuration and handlers as its TCP connector,
 * without a socket, a selector or an accepting thread, so the Jazzer target spends its time in the packet handling.
 * Each request is a connection of its own that the client half-closes after the request, as {@link RawPackets} does.
 */
final class LocalPackets {
    /** The longest answer head read, as {@link RawPackets}. */
    private static final int MAX_HEAD_CHARS = 65_536;
    private final Direct connector;

    /**
     * A connector whose caller opens each connection itself, on its own thread, once the whole request and the end
     * of its input are queued: the server reads them as it reads a half-closed socket, and handles them on the
     * caller's thread (a connection opened first would start handling and wait for an end of input not yet added).
     */
    private static final class Direct extends LocalConnector {
        Direct(Server server, HttpConnectionFactory factory) {
            /* A pool that keeps buffers of the configured input size: the server's default one does not keep
               buffers that large, and a new direct buffer of that size, zeroed, for every request was most of what
               an input cost (and memory that only a GC gave back). */
            super(server, null, null, new ArrayByteBufferPool(0, 0, 2 * factory.getInputBufferSize()), 1, factory);
        }

        /** Opens a connection that reads {@code request} and then the end of the stream, as Jetty's accept does. */
        LocalEndPoint open(byte[] request) {
            LocalEndPoint endPoint = new LocalEndPoint() {
                /* Jetty's work for this connection runs on the caller's thread: a request is read whole from
                   memory, so nothing waits, and a hand-off to a pool thread was most of an input's time. */
                @Override
                protected void execute(Runnable task) {
                    task.run();
                }
            };
            endPoint.addInput(ByteBuffer.wrap(request));
            endPoint.addInputEOF();
            Connection connection = getDefaultConnectionFactory().newConnection(this, endPoint);
            endPoint.setConnection(connection);
            endPoint.onOpen();
            onEndPointOpened(endPoint);
            connection.onOpen();
            return endPoint;
        }
    }

    private LocalPackets(Direct connector) {
        this.connector = connector;
    }

    /** Adds an in-process connector to {@code server}, with the HTTP configuration of its TCP connector. */
    static LocalPackets attach(FileServer server) throws Exception {
        Field field = FileServer.class.getDeclaredField("server"); // the one Jetty server; FileServer does not lend it
        field.setAccessible(true);
        Server jetty = (Server) field.get(server);
        ServerConnector tcp = (ServerConnector) jetty.getConnectors()[0];
        HttpConnectionFactory http = tcp.getConnectionFactory(HttpConnectionFactory.class);
        HttpConnectionFactory local = new HttpConnectionFactory(http.getHttpConfiguration());
        local.setInputBufferSize(http.getInputBufferSize());
        Direct connector = new Direct(jetty, local);
        connector.setIdleTimeout(tcp.getIdleTimeout());
        jetty.addConnector(connector);
        if (!connector.isStarted()) {
            connector.start();
        }
        return new LocalPackets(connector);
    }

    /**
     * Sends a request on a new connection, half-closes, waits until the server closes it (or is idle for 10 s, as
     * {@link RawPackets} drains), and returns the answer's head (null: closed unanswered).
     */
    String send(byte[] request) {
        LocalConnector.LocalEndPoint endPoint = connector.open(request);
        endPoint.waitUntilClosedOrIdleFor(10, TimeUnit.SECONDS);
        String out = endPoint.takeOutputString(StandardCharsets.ISO_8859_1);
        endPoint.close();
        int end = out.indexOf("\r\n\r\n");
        String head = end < 0 ? out.substring(0, Math.min(out.length(), MAX_HEAD_CHARS)) : out.substring(0, end + 4);
        return head.startsWith("HTTP/1.1 ") && head.length() >= 12 ? head : null;
    }
}
