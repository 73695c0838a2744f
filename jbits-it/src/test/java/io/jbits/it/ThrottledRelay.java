package io.jbits.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 in front of a server on another loopback port, passing bytes unchanged but pacing each
 * direction of each connection to a fixed rate, so that a test can act in the middle of a download or an upload
 * (kill the service, stop the server). Every accepted connection gets its own connection upstream; when either side
 * closes or fails, both are closed. It counts the bytes it passed each way, which tells a resumed transfer from a
 * restarted one.
 */
final class ThrottledRelay implements AutoCloseable {
    private static final int CHUNK = 16 * 1024;

    private final ServerSocket listener;
    private final int upstreamPort;
    private final long bytesPerSecond;
    private final AtomicLong toClients = new AtomicLong();
    private final AtomicLong toServer = new AtomicLong();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    private ThrottledRelay(ServerSocket listener, int upstreamPort, long bytesPerSecond) {
        this.listener = listener;
        this.upstreamPort = upstreamPort;
        this.bytesPerSecond = bytesPerSecond;
        this.acceptor = Thread.ofVirtual().name("relay-accept").start(this::acceptLoop);
    }

    /** Listens on a free loopback port and relays to {@code upstreamPort}, server-to-client at most that fast. */
    static ThrottledRelay start(int upstreamPort, long bytesPerSecond) throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return new ThrottledRelay(s, upstreamPort, bytesPerSecond);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Bytes passed from the server to clients so far, over every connection. */
    long bytesToClients() {
        return toClients.get();
    }

    /** Bytes passed from clients to the server so far, over every connection. */
    long bytesToServer() {
        return toServer.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            open.add(client);
            Thread.ofVirtual().start(() -> relay(client));
        }
    }

    private void relay(Socket client) {
        Socket server = new Socket();
        open.add(server);
        try {
            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 5_000);
        } catch (IOException e) {
            closeBoth(client, server); // the server is down: the client sees its connection closed at once
            return;
        }
        Thread up = Thread.ofVirtual().start(() -> pump(client, server, toServer));
        pump(server, client, toClients);
        try {
            up.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pump(Socket from, Socket to, AtomicLong counter) {
        byte[] buf = new byte[CHUNK];
        long started = System.nanoTime();
        long passed = 0;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
                counter.addAndGet(n);
                passed += n;
                long due = started + passed * 1_000_000_000L / bytesPerSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } catch (IOException e) {
            // One side closed or failed: the relay closes the other.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeBoth(from, to);
        }
    }

    private void closeBoth(Socket a, Socket b) {
        for (Socket s : List.of(a, b)) {
            try {
                s.close();
            } catch (IOException e) {
                // Closing anyway.
            }
            open.remove(s);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // Closing anyway.
            }
        }
        open.clear();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
