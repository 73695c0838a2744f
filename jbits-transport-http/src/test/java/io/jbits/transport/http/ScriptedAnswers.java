package io.jbits.transport.http;

import java.io.ByteArrayOutputStream;
import java.net.SocketImpl;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An in-process server for the Jazzer targets that answers each request it reads with the next of a script of raw
 * answers (the fuzzer's bytes, split at NUL bytes), then closes the connection, so a client never waits for bytes
 * that will not come; after the last answer it closes connections unanswered. It reads each request's body by its
 * Content-Length, and counts every byte it wrote, so a test can bound what a client may have received.
 *
 * <p>The connection is an in-memory {@link java.net.Socket} ({@link MemorySocketImpl}): the real transport code
 * opens it with {@code new Socket()} and {@code connect(127.0.0.1:}{@link #port()}{@code )} as it would a TCP one,
 * and the answer is there the moment the request is complete, with no thread or kernel between them. Only sockets
 * made on the thread inside {@link #play} are in memory ({@link InMemorySockets}); every other one in the JVM is the
 * platform's.
 */
public final class ScriptedAnswers implements AutoCloseable {
    /** The port the in-memory server listens on; a connection to any other is refused. */
    private static final int PORT = 47_011;
    /** The longest request head read; a longer one is closed unanswered. */
    private static final int MAX_HEAD_BYTES = 65_536;
    /** The header name, lower case. */
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.ISO_8859_1);
    private List<byte[]> script = List.of();
    private int next;
    private int requests;
    private long written;

    public ScriptedAnswers() {
        InMemorySockets.install();
    }

    public int port() {
        return PORT;
    }

    /** Splits {@code input} at NUL bytes into the answers of the requests to come. */
    public static List<byte[]> split(byte[] input, int from) {
        List<byte[]> answers = new ArrayList<>();
        int start = from;
        for (int i = from; i <= input.length; i++) {
            if (i == input.length || input[i] == 0) {
                answers.add(Arrays.copyOfRange(input, start, i));
                start = i + 1;
            }
        }
        return answers;
    }

    /**
     * Starts a new script, forgetting the previous one; until the returned scope closes, the sockets this thread
     * makes connect to this server.
     */
    public InMemorySockets.Scope play(List<byte[]> answers) {
        script = List.copyOf(answers);
        next = 0;
        requests = 0;
        written = 0;
        return InMemorySockets.serveOnThisThread(this);
    }

    /** The bytes written in answers since {@link #play}. */
    public long written() {
        return written;
    }

    /** The requests read since {@link #play}. */
    public int requests() {
        return requests;
    }

    /** A new connection's server end: the socket of a client that connected to {@link #port()}. */
    SocketImpl accept() {
        return new MemorySocketImpl(this);
    }

    boolean listensOn(int port) {
        return port == PORT;
    }

    /**
     * What the server answers once it has read {@code request} so far: null while the request is not complete,
     * an empty answer to close unanswered (a head too long, past the script), else the next scripted answer.
     */
    byte[] answer(ByteArrayOutputStream request) {
        byte[] bytes = request.toByteArray();
        int end = headEnd(bytes);
        if (end < 0) {
            return bytes.length > MAX_HEAD_BYTES ? new byte[0] : null;
        }
        long length = contentLength(bytes, end);
        if (length < 0) {
            return new byte[0]; // no client of these tests sends a bad one; the server would drop the request
        }
        if (bytes.length - end < length) {
            return null;
        }
        requests++;
        int i = next++;
        if (i >= script.size()) {
            return new byte[0];
        }
        written += script.get(i).length;
        return script.get(i);
    }

    /**
     * The Content-Length of the head {@code bytes[0, end)} (0 without one, -1 when it is no number). Bytes, not
     * strings and patterns: this runs once per request, inside the fuzzer's instrumentation.
     */
    private static long contentLength(byte[] bytes, int end) {
        long length = 0;
        for (int line = 0; line < end; ) {
            int eol = line;
            while (eol < end && bytes[eol] != '\n') {
                eol++;
            }
            if (startsWithIgnoringCase(bytes, line, eol)) {
                String value = new String(bytes, line + CONTENT_LENGTH.length, eol - line - CONTENT_LENGTH.length,
                        StandardCharsets.ISO_8859_1).trim();
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
            line = eol + 1;
        }
        return length;
    }

    private static boolean startsWithIgnoringCase(byte[] bytes, int from, int to) {
        if (to - from < CONTENT_LENGTH.length) {
            return false;
        }
        for (int i = 0; i < CONTENT_LENGTH.length; i++) {
            byte b = bytes[from + i];
            if ((b >= 'A' && b <= 'Z' ? b | 0x20 : b) != CONTENT_LENGTH[i]) {
                return false;
            }
        }
        return true;
    }

    /** The index just past the blank line that ends the head, or -1 before it. */
    private static int headEnd(byte[] bytes) {
        int state = 0;
        for (int i = 0; i < bytes.length && i <= MAX_HEAD_BYTES; i++) {
            byte b = bytes[i];
            state = (b == '\n') ? state + 1 : (b == '\r' ? state : 0);
            if (state == 2) {
                return i + 1;
            }
        }
        return -1;
    }

    /** Nothing to release: connections end with their sockets. */
    @Override
    public void close() {
        script = List.of();
    }
}
