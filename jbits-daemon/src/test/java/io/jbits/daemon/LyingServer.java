package io.jbits.daemon;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP server on a raw {@link ServerSocket} that answers every request with whatever its {@link Script} writes:
 * wrong lengths and ranges, endless headers, bodies that never end, silence, garbage. It reads each request head
 * itself (bounded), records it, and counts every byte it manages to write, so a test can tell when the client gave
 * up. One request per connection unless the script keeps reading.
 */
final class LyingServer implements AutoCloseable {

    /** What a connection gets: the script writes the whole answer (or nothing) and returns; the socket closes. */
    @FunctionalInterface
    interface Script {
        void answer(Request request, Socket socket, OutputStream out) throws IOException, InterruptedException;
    }

    /** One request head as read from the wire; header names lower-cased. */
    record Request(String line, Map<String, String> headers) {
        String path() {
            String[] parts = line.split(" ");
            return parts.length > 1 ? parts[1] : "";
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Script script;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicLong bytesWritten = new AtomicLong();

    private LyingServer(Script script) throws IOException {
        this.script = script;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("lying-server-" + listener.getLocalPort())
                .start(this::acceptLoop);
    }

    /** Starts a server on a free 127.0.0.1 port that answers every request with {@code script}. */
    static LyingServer start(Script script) throws IOException {
        return new LyingServer(script);
    }

    /** {@code http://127.0.0.1:PORT/name}. */
    String url(String name) {
        return "http://127.0.0.1:" + listener.getLocalPort() + "/" + name;
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The requests read so far, in order. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** How many bytes the scripts wrote to clients that were still reading. */
    long bytesWritten() {
        return bytesWritten.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                open.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
             OutputStream out = new CountingStream(socket.getOutputStream(), bytesWritten)) {
            Request request = readHead(in);
            if (request == null) {
                return;
            }
            requests.add(request);
            script.answer(request, socket, out);
            out.flush();
        } catch (IOException e) {
            // the client hung up, which is what many scripts wait for
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(socket);
        }
    }

    /** Writes {@code text} as ISO-8859-1. */
    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The head of a 200 or 206 answer with the given extra header lines, each ended with CRLF by the caller. */
    static String head(int status, String extraHeaders) {
        String reason = status == 206 ? "Partial Content" : status == 200 ? "OK" : "Status";
        return "HTTP/1.1 " + status + " " + reason + "\r\n" + extraHeaders + "\r\n";
    }

    private static Request readHead(InputStream in) throws IOException {
        String line = readLine(in);
        if (line == null || line.isEmpty()) {
            return null;
        }
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            String h = readLine(in);
            if (h == null || h.isEmpty()) {
                return new Request(line, headers);
            }
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
        }
        throw new IOException("more than 200 header lines");
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            if (line.size() > 16_384) {
                throw new IOException("request line longer than 16 KiB");
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Stops accepting and drops every open connection, so scripts blocked in a write or a sleep end. */
    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            try {
                s.close();
            } catch (SocketException e) {
                // already closed
            }
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts the bytes that reached the socket. */
    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        private final AtomicLong count;

        CountingStream(OutputStream out, AtomicLong count) {
            this.out = out;
            this.count = count;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count.incrementAndGet();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count.addAndGet(len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
