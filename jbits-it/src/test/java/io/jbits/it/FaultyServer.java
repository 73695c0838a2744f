package io.jbits.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP/1.1 server on a raw {@link ServerSocket} that serves one in-memory file at every path, correctly
 * (HEAD, Range, If-Range, strong ETag), except for a scripted list of faults it plays first: a 503, or a body cut
 * in the middle by a TCP reset. One response per connection ({@code Connection: close}), so every fault is visible.
 */
final class FaultyServer implements AutoCloseable {
    /** What the next request(s) get instead of a correct answer. */
    enum Fault {
        /** {@code 503 Service Unavailable}, empty body; played on the next request of any method. */
        SERVICE_UNAVAILABLE,
        /** The correct headers, half the body, then RST (SO_LINGER 0); played on the next GET. */
        RESET_MID_BODY
    }

    /** One request and what it got. */
    record Exchange(String method, String range, int status, Fault fault) {
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    private static final String LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT";

    private final byte[] content;
    private final String etag;
    private final Deque<Fault> faults;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final ServerSocket listener;
    private final Thread acceptor;

    private FaultyServer(byte[] content, List<Fault> faults) throws IOException {
        this.content = content.clone();
        this.etag = "\"" + TestData.sha256(content).substring(0, 16) + "\"";
        this.faults = new ArrayDeque<>(faults);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("faulty-server-" + listener.getLocalPort())
                .start(this::acceptLoop);
    }

    /** Starts serving {@code content} on a free 127.0.0.1 port, playing {@code faults} first, in order. */
    static FaultyServer start(byte[] content, List<Fault> faults) throws IOException {
        return new FaultyServer(content, faults);
    }

    /** {@code http://127.0.0.1:PORT/name}. */
    String url(String name) {
        return "http://127.0.0.1:" + listener.getLocalPort() + "/" + name;
    }

    /** Every request answered so far, in order. */
    List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** The faults not played yet. */
    synchronized int faultsLeft() {
        return faults.size();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
             OutputStream out = socket.getOutputStream()) {
            Map<String, String> headers = new HashMap<>();
            String requestLine = readHead(in, headers);
            if (requestLine == null) {
                return;
            }
            String method = requestLine.split(" ")[0];
            String range = headers.get("range");
            Fault fault = nextFault(method);
            if (fault == Fault.SERVICE_UNAVAILABLE) {
                exchanges.add(new Exchange(method, range, 503, fault));
                out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            answer(socket, out, method, range, headers.get("if-range"), fault);
        } catch (IOException e) {
            // the client went away; nothing to record
        }
    }

    private synchronized Fault nextFault(String method) {
        Fault next = faults.peek();
        if (next == Fault.SERVICE_UNAVAILABLE || next == Fault.RESET_MID_BODY && method.equals("GET")) {
            return faults.poll();
        }
        return null;
    }

    private void answer(Socket socket, OutputStream out, String method, String range, String ifRange, Fault fault)
            throws IOException {
        long from = 0;
        long to = content.length - 1L;
        int status = 200;
        Matcher m = range == null ? null : RANGE.matcher(range.trim());
        boolean validatorMatches = ifRange == null || ifRange.trim().equals(etag)
                || ifRange.trim().equals(LAST_MODIFIED);
        if (m != null && m.matches() && validatorMatches) {
            from = Long.parseLong(m.group(1));
            to = m.group(2).isEmpty() ? to : Math.min(to, Long.parseLong(m.group(2)));
            if (from >= content.length) {
                exchanges.add(new Exchange(method, range, 416, fault));
                out.write(("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */" + content.length
                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                return;
            }
            status = 206;
        }
        int length = (int) (to - from + 1);
        StringBuilder head = new StringBuilder(status == 206 ? "HTTP/1.1 206 Partial Content\r\n" : "HTTP/1.1 200 OK\r\n")
                .append("Content-Type: application/octet-stream\r\n")
                .append("Content-Length: ").append(length).append("\r\n")
                .append("ETag: ").append(etag).append("\r\n")
                .append("Last-Modified: ").append(LAST_MODIFIED).append("\r\n")
                .append("Accept-Ranges: bytes\r\n");
        if (status == 206) {
            head.append("Content-Range: bytes ").append(from).append('-').append(to).append('/')
                    .append(content.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        exchanges.add(new Exchange(method, range, status, fault));
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        if (method.equals("HEAD")) {
            out.flush();
            return;
        }
        if (fault == Fault.RESET_MID_BODY) {
            out.write(content, (int) from, length / 2);
            out.flush();
            pause(300); // let the client read and store what arrived before the reset
            socket.setSoLinger(true, 0); // close() now sends RST instead of FIN
            return;
        }
        out.write(content, (int) from, length);
        out.flush();
    }

    /** Reads the request line and headers (names lower-cased); null at end of stream. */
    private static String readHead(InputStream in, Map<String, String> headers) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        for (int i = 0; i < 200; i++) {
            String line = readLine(in);
            if (line == null || line.isEmpty()) {
                return requestLine;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
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
                throw new IOException("header line longer than 16 KiB");
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting; connections in flight end on their own. */
    @Override
    public void close() throws IOException {
        listener.close();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
