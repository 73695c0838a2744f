package io.jbits.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;

/**
 * One HTTP/1.1 exchange over a Unix socket, on the caller's thread: a connection of its own ({@code Connection:
 * close}), the request written at once, the answer's head read, its body a stream (Content-Length, chunked, or up to
 * the end of the connection).
 *
 * <p>Why not an HTTP client library: a command makes one to five requests to a local service; a client with thread
 * pools and selectors cost the CLI more start-up time than everything else (docs/startup.md). A connection to a Unix
 * socket costs microseconds, so none is kept. A {@link Timer} thread, made at the first exchange, closes the
 * connection of an exchange that waits past its deadline, which ends the blocked read.
 */
final class UnixHttp {
    /** Longest answer head read (status line and headers). */
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final long CHECK_MILLIS = 250;

    private UnixHttp() {
    }

    /** The answer's head, and its body as a stream; closing it (or reading it to its end) ends the exchange. */
    record Response(int status, Map<String, String> headers, Body body) {
        /** A header's value by its name in any case, or null. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Sends a request and reads the head of its answer; no byte may pass between the two for more than
     * {@code idleMillis}, and the head must come within it too.
     *
     * @param contentType the body's type, with {@code body}; both null for none
     * @throws IOException when the socket refuses or closes, or the deadline passes ({@link Body#expired} then)
     */
    static Response exchange(Path socket, String method, String target, Map<String, String> headers,
                             String contentType, byte[] body, long idleMillis) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        Watchdog watchdog = new Watchdog(channel, idleMillis);
        try {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new NotListeningException(socket, e);
            }
            StringBuilder head = new StringBuilder(256).append(method).append(' ').append(target)
                    .append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ")
                        .append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = Channels.newOutputStream(channel);
            byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
            if (body == null) {
                out.write(headBytes);
            } else {
                byte[] all = new byte[headBytes.length + body.length];
                System.arraycopy(headBytes, 0, all, 0, headBytes.length);
                System.arraycopy(body, 0, all, headBytes.length, body.length);
                out.write(all);
            }
            watchdog.touch();
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 16 * 1024);
            while (true) {
                int status = statusOf(line(in, new int[] {MAX_HEAD_BYTES}));
                Map<String, String> answerHeaders = headers(in);
                if (status >= 100 && status < 200) {
                    continue; // an interim answer; the final one follows
                }
                return new Response(status, answerHeaders, new Body(in, answerHeaders, watchdog));
            }
        } catch (IOException | RuntimeException e) {
            watchdog.close();
            if (watchdog.expired) {
                throw new IdleTimeoutException(idleMillis, e);
            }
            throw e;
        }
    }

    /** Nothing listens on the socket (no file, or nobody accepts): the exchange ended before a byte was sent. */
    static final class NotListeningException extends IOException {
        private static final long serialVersionUID = 1L;

        NotListeningException(Path socket, IOException cause) {
            super("nothing listens on " + socket + ": " + cause.getMessage(), cause);
        }
    }

    /** The answer took longer than its deadline between two bytes. */
    static final class IdleTimeoutException extends IOException {
        private static final long serialVersionUID = 1L;

        IdleTimeoutException(long idleMillis, Throwable cause) {
            super("no byte for " + idleMillis / 1000 + " s", cause);
        }
    }

    private static int statusOf(String statusLine) throws IOException {
        // HTTP/1.1 200 OK
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + abbreviate(statusLine));
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + abbreviate(statusLine), e);
        }
    }

    private static Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> headers = new HashMap<>();
        int[] budget = {MAX_HEAD_BYTES};
        String line;
        while (!(line = line(in, budget)).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).strip(), (a, b) -> a + ", " + b);
            }
        }
        return headers;
    }

    /** One line without its CRLF (or LF); {@code budget[0]} bounds the bytes read over several lines. */
    private static String line(InputStream in, int[] budget) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException("the connection ended in the middle of an answer's head");
            }
            if (--budget[0] < 0) {
                throw new IOException("an answer's head longer than " + MAX_HEAD_BYTES + " bytes");
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    /**
     * An answer's body: de-chunked or bounded by its length; its end, or {@link #close}, closes the connection.
     * Each read that returns bytes moves the deadline.
     */
    static final class Body extends InputStream {
        private final InputStream in;
        private final Watchdog watchdog;
        private final boolean chunked;
        /** Bytes left: of the body (Content-Length), of the current chunk (chunked), or -1 up to the end. */
        private long left;
        private boolean started;
        private boolean ended;

        private Body(InputStream in, Map<String, String> headers, Watchdog watchdog) throws IOException {
            this.in = in;
            this.watchdog = watchdog;
            String encoding = headers.get("transfer-encoding");
            this.chunked = encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
            String length = headers.get("content-length");
            if (chunked) {
                left = 0;
            } else if (length != null) {
                try {
                    left = Long.parseLong(length.strip());
                } catch (NumberFormatException e) {
                    throw new IOException("a bad Content-Length: " + abbreviate(length), e);
                }
            } else {
                left = -1;
            }
            if (left == 0 && !chunked) {
                end();
            }
        }

        /** Whether the deadline passed (the connection was closed under a read). */
        boolean expired() {
            return watchdog.expired;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            try {
                if (ended) {
                    return -1;
                }
                if (chunked && left == 0 && !nextChunk()) {
                    return -1;
                }
                int want = left < 0 ? len : (int) Math.min(len, left);
                int n = in.read(b, off, want);
                if (n < 0) {
                    if (left < 0) {
                        end();
                        return -1;
                    }
                    throw new EOFException("the connection ended " + left + " bytes before the answer's end");
                }
                watchdog.touch();
                if (left > 0) {
                    left -= n;
                    if (left == 0 && !chunked) {
                        end();
                    }
                }
                return n;
            } catch (IOException e) {
                close();
                if (watchdog.expired) {
                    throw new IdleTimeoutException(watchdog.idleMillis, e);
                }
                throw e;
            }
        }

        /** Reads the next chunk's size line; false after the last (empty) chunk and its trailers. */
        private boolean nextChunk() throws IOException {
            if (left == 0 && started) {
                line(in, new int[] {2}); // the CRLF after the previous chunk's data
            }
            started = true;
            String size = line(in, new int[] {MAX_HEAD_BYTES});
            int semicolon = size.indexOf(';');
            try {
                left = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("a bad chunk size: " + abbreviate(size), e);
            }
            if (left < 0) {
                throw new IOException("a bad chunk size: " + abbreviate(size));
            }
            if (left == 0) {
                headers(in); // trailers, up to the empty line
                end();
                return false;
            }
            return true;
        }

        private void end() throws IOException {
            ended = true;
            close();
        }

        @Override
        public void close() throws IOException {
            watchdog.close();
        }
    }

    /** Closes an exchange's connection once no byte has passed for its idle time; checked a few times a second. */
    private static final class Watchdog extends TimerTask {
        private static Timer timer;

        private final SocketChannel channel;
        private final long idleMillis;
        private volatile long lastNanos = System.nanoTime();
        private volatile boolean expired;
        private boolean closed;

        Watchdog(SocketChannel channel, long idleMillis) {
            this.channel = channel;
            this.idleMillis = idleMillis;
            timer().schedule(this, CHECK_MILLIS, CHECK_MILLIS);
        }

        private static synchronized Timer timer() {
            if (timer == null) {
                timer = new Timer("jbits-client-timeouts", true);
            }
            return timer;
        }

        void touch() {
            lastNanos = System.nanoTime();
        }

        @Override
        public void run() {
            if (System.nanoTime() - lastNanos > idleMillis * 1_000_000) {
                expired = true;
                close();
            }
        }

        synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            cancel();
            try {
                channel.close();
            } catch (IOException e) {
                // closing a socket of our own: nothing to do about it
            }
        }
    }
}
