package io.jbits.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The back-end application of an upload farm's tests: counts each upload's notifications and asks for the file at
 * its destination. It tells apart the calls a node marked as a possible repeat (attempt 2 or more: the node that
 * sent attempt 1 died before it recorded the answer), as an application that drops repeats of an upload id does.
 */
final class NotificationReceiver implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, AtomicInteger> notified = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> markedRepeats = new ConcurrentHashMap<>();

    private NotificationReceiver(HttpServer server) {
        this.server = server;
    }

    /** Listens on a free loopback port at {@code /notify}. */
    static NotificationReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        NotificationReceiver receiver = new NotificationReceiver(server);
        server.createContext("/notify", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            String path = URI.create(exchange.getRequestHeaders().getFirst("BITS-Original-Request-URL")).getPath();
            receiver.notified.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            String attempt = exchange.getRequestHeaders().getFirst("X-Jbits-Notify-Attempt");
            if (attempt != null && Integer.parseInt(attempt) > 1) {
                receiver.markedRepeats.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            }
            exchange.getResponseHeaders().add("BITS-Copy-File-To-Destination", "true");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return receiver;
    }

    /** Where it listens. */
    InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://127.0.0.1:PORT/notify}. */
    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/notify");
    }

    /**
     * For each upload path, "once" when it was notified once, not counting calls marked as repeats; otherwise how
     * many calls it got.
     */
    Map<String, String> countsOf(List<String> paths) {
        Map<String, String> seen = new TreeMap<>();
        for (String path : paths) {
            int all = notified.getOrDefault(path, new AtomicInteger()).get();
            int repeats = markedRepeats.getOrDefault(path, new AtomicInteger()).get();
            seen.put(path, all >= 1 && all - repeats <= 1 ? "once" : all + " calls, " + repeats + " marked as repeats");
        }
        return seen;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
