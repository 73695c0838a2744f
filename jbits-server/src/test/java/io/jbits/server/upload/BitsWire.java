package io.jbits.server.upload;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A raw HTTP/1.1 client on one keep-alive socket: it sends exactly the bytes a test writes (extension methods,
 * unnormalised paths, missing or wrong headers), which the JDK client refuses to do.
 */
final class BitsWire implements AutoCloseable {

    static final String PROTOCOL = "{7df0354d-249b-430f-820d-3d2a9bef4931}";

    /** A response: status, headers by name in any case, body. */
    record Reply(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name);
        }

        @Override
        public String toString() {
            return status + " " + headers;
        }
    }

    private final Socket socket;
    private final List<String> everyRequest = new ArrayList<>();
    private final InputStream in;
    private final OutputStream out;

    BitsWire(int port) throws IOException {
        this(port, null);
    }

    /** A client connecting from {@code local} (another loopback address is another client), or any when null. */
    BitsWire(int port, InetAddress local) throws IOException {
        this(local == null ? new Socket(InetAddress.getLoopbackAddress(), port)
                : new Socket(InetAddress.getLoopbackAddress(), port, local, 0));
    }

    /** A client on a connected socket (a TLS one, say). */
    BitsWire(Socket connected) throws IOException {
        socket = connected;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        out = socket.getOutputStream();
    }

    /** Sends {@code header} ("Name: value") with every later request, e.g. an {@code Authorization}. */
    BitsWire always(String header) {
        everyRequest.add(header);
        return this;
    }

    /** Sends a request head (without the final blank line) and body; reads the response. */
    Reply exchange(String method, String target, List<String> headers, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(socket.getPort()).append("\r\n");
        for (String header : everyRequest) {
            head.append(header).append("\r\n");
        }
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        return read(method.equals("HEAD"));
    }

    /** A BITS packet with {@code Content-Length} set to the body's length. */
    Reply packet(String target, String type, List<String> headers, byte[] body) throws IOException {
        List<String> all = new ArrayList<>(headers);
        all.add("BITS-Packet-Type: " + type);
        all.add("Content-Length: " + (body == null ? 0 : body.length));
        return exchange("BITS_POST", target, all, body);
    }

    Reply ping(String target) throws IOException {
        return packet(target, "Ping", List.of(), null);
    }

    Reply create(String target) throws IOException {
        return packet(target, "Create-Session", List.of("BITS-Supported-Protocols: " + PROTOCOL), null);
    }

    /** Creates a session and returns its id, failing when the server refuses. */
    String createSession(String target) throws IOException {
        Reply reply = create(target);
        if (reply.status() != 200) {
            throw new IOException("Create-Session of " + target + " answered " + reply);
        }
        return reply.header("BITS-Session-Id");
    }

    /** A Fragment carrying {@code length} bytes of {@code data} from {@code first}. */
    Reply fragment(String target, String sessionId, byte[] data, int first, int length) throws IOException {
        byte[] body = java.util.Arrays.copyOfRange(data, first, first + length);
        return packet(target, "Fragment", List.of("BITS-Session-Id: " + sessionId, "Content-Name: data.bin",
                "Content-Range: bytes " + first + "-" + (first + length - 1) + "/" + data.length), body);
    }

    Reply close(String target, String sessionId) throws IOException {
        return packet(target, "Close-Session", List.of("BITS-Session-Id: " + sessionId), null);
    }

    Reply cancel(String target, String sessionId) throws IOException {
        return packet(target, "Cancel-Session", List.of("BITS-Session-Id: " + sessionId), null);
    }

    /** Uploads all of {@code data} in fragments of {@code fragmentBytes}; returns the last fragment's Ack. */
    Reply uploadFragments(String target, String sessionId, byte[] data, int fragmentBytes) throws IOException {
        Reply last = null;
        for (int first = 0; first < data.length; first += fragmentBytes) {
            last = fragment(target, sessionId, data, first, Math.min(fragmentBytes, data.length - first));
            if (last.status() != 200) {
                throw new IOException("Fragment at " + first + " of " + target + " answered " + last);
            }
        }
        return last;
    }

    /** Create-Session, all fragments, Close-Session. */
    void upload(String target, byte[] data, int fragmentBytes) throws IOException {
        String sessionId = createSession(target);
        uploadFragments(target, sessionId, data, fragmentBytes);
        Reply closed = close(target, sessionId);
        if (closed.status() != 200) {
            throw new IOException("Close-Session of " + target + " answered " + closed);
        }
    }

    private Reply read(boolean head) throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: '" + statusLine + "'");
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        byte[] body;
        if (head || status == 204 || status == 304) {
            body = new byte[0];
        } else if (headers.containsKey("Content-Length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("Content-Length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"))) {
            body = chunked();
        } else {
            body = in.readAllBytes();
        }
        return new Reply(status, headers, body);
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line().split(";")[0].strip(), 16); size > 0;
                size = Integer.parseInt(line().split(";")[0].strip(), 16)) {
            body.write(in.readNBytes(size));
            line();
        }
        for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
            // trailers are ignored
        }
        return body.toByteArray();
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed after '" + line + "'");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
