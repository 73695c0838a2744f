package io.jbits.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of one server (nginx) that cuts connections: for each request, while it has
 * faults left, it picks (seeded) whether to cut the response and after how many of its bytes, and then resets the
 * connection (RST, {@code SO_LINGER 0}) toward the client at exactly that byte. Requests pass unchanged.
 *
 * <p>The number of faults is bounded; {@link #faultsPlayed()} counts the resets actually done.
 */
final class FaultProxy implements AutoCloseable {
    private final int upstreamPort;
    private final SplittableRandom random;
    private final long maxCutOffset;
    private final AtomicInteger faultsLeft;
    private final AtomicInteger faultsPlayed = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private FaultProxy(int upstreamPort, long seed, int faults, long maxCutOffset) throws IOException {
        this.upstreamPort = upstreamPort;
        this.random = new SplittableRandom(seed);
        this.maxCutOffset = maxCutOffset;
        this.faultsLeft = new AtomicInteger(faults);
        this.listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("fault-proxy-" + listener.getLocalPort()).start(this::acceptLoop);
    }

    /**
     * Starts a proxy to 127.0.0.1:{@code upstreamPort} that resets up to {@code faults} connections, each after a
     * random number of response bytes below {@code maxCutOffset}.
     */
    static FaultProxy start(int upstreamPort, long seed, int faults, long maxCutOffset) throws IOException {
        return new FaultProxy(upstreamPort, seed, faults, maxCutOffset);
    }

    /** {@code http://127.0.0.1:PORT} + path. */
    String url(String path) {
        return "http://127.0.0.1:" + listener.getLocalPort() + path;
    }

    /** Resets done so far. */
    int faultsPlayed() {
        return faultsPlayed.get();
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> relay(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** The number of response bytes after which to reset, or -1 to leave this response whole. */
    private synchronized long decideCut() {
        if (faultsLeft.get() <= 0 || random.nextInt(3) == 0) {
            return -1;
        }
        faultsLeft.decrementAndGet();
        return random.nextLong(maxCutOffset);
    }

    /** One connection: requests go up unchanged; each may arm a cut of the response bytes that follow it. */
    private void relay(Socket client) {
        AtomicLong responseBytes = new AtomicLong();
        AtomicLong cutAt = new AtomicLong(-1);
        try (client; Socket upstream = new Socket()) {
            open.add(client);
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 5_000);
            Thread requests = Thread.ofVirtual().start(() -> copyRequests(client, upstream, responseBytes, cutAt));
            if (copyResponses(upstream, client, responseBytes, cutAt)) {
                faultsPlayed.incrementAndGet();
                client.setSoLinger(true, 0); // close() now sends RST
            }
            client.close();
            upstream.close();
            requests.join();
        } catch (IOException e) {
            // a peer went away: nothing to relay any more
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(client);
            if (cutAt.get() >= 0) {
                faultsLeft.incrementAndGet(); // the connection ended before its cut: the fault is still owed
            }
        }
    }

    /** Client to server; each read (a request: HTTP/1.1 clients do not pipeline) may arm a cut. */
    private void copyRequests(Socket from, Socket to, AtomicLong responseBytes, AtomicLong cutAt) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (cutAt.get() < 0) {
                    long cut = decideCut();
                    if (cut >= 0) {
                        cutAt.set(responseBytes.get() + cut);
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // either side closed
        }
    }

    /** Server to client until EOF (false), or until the armed cut is reached (true, the socket left open). */
    private static boolean copyResponses(Socket from, Socket to, AtomicLong responseBytes, AtomicLong cutAt) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                long cut = cutAt.get();
                long sent = responseBytes.get();
                if (cut >= 0 && sent + n >= cut) {
                    out.write(buffer, 0, (int) (cut - sent));
                    out.flush();
                    responseBytes.addAndGet(cut - sent);
                    cutAt.set(-1);
                    return true;
                }
                out.write(buffer, 0, n);
                responseBytes.addAndGet(n);
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
