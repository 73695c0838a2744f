package io.jbits.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Relays connections from a Unix socket to a TCP address of this network namespace, so that a program in another
 * namespace (which shares the file system, not the network) reaches a server of the test; nginx proxies to it with
 * {@code proxy_pass http://unix:PATH:}.
 */
final class UnixRelay implements AutoCloseable {

    private final Path socket;
    private final ServerSocketChannel server;

    private UnixRelay(Path socket, ServerSocketChannel server) {
        this.socket = socket;
        this.server = server;
    }

    /** Listens on {@code socket} (a new file) and relays each connection to {@code target}. */
    static UnixRelay start(Path socket, InetSocketAddress target) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        UnixRelay relay = new UnixRelay(socket, server);
        Thread.ofVirtual().start(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel in = server.accept();
                    SocketChannel out = SocketChannel.open(target);
                    pump(in, out);
                    pump(out, in);
                } catch (IOException e) {
                    return;   // closed
                }
            }
        });
        return relay;
    }

    /** Copies {@code from} to {@code to} until {@code from} ends, then half-closes {@code to}. */
    private static void pump(SocketChannel from, SocketChannel to) {
        Thread.ofVirtual().start(() -> {
            try (InputStream in = Channels.newInputStream(from)) {
                OutputStream out = Channels.newOutputStream(to);
                in.transferTo(out);
                to.shutdownOutput();
            } catch (IOException e) {
                closeQuietly(to);
            }
        });
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
