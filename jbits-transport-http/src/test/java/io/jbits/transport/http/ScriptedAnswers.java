package io.jbits.transport.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server for the Jazzer targets that answers each request it reads with the next of a script of raw
 * answers (the fuzzer's bytes, split at NUL bytes), then closes the connection, so a client never waits for bytes
 * that will not come; after the last answer it closes connections unanswered. It reads each request's body by its
 * Content-Length, and counts every byte it wrote, so a test can bound what a client may have received.
 */
public final class ScriptedAnswers implements AutoCloseable {
    private final ServerSocket listener;
    private volatile List<byte[]> script = List.of();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile long written;

    public ScriptedAnswers() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("scripted-answers").start(this::acceptLoop);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Splits {@code input} at NUL bytes into the answers of the requests to come. */
    public static List<byte[]> split(byte[] input, int from) {
        List<byte[]> answers = new ArrayList<>();
        int start = from;
        for (int i = from; i <= input.length; i++) {
            if (i == input.length || input[i] == 0) {
                answers.add(java.util.Arrays.copyOfRange(input, start, i));
                start = i + 1;
            }
        }
        return answers;
    }

    /** Starts a new script; the answers of the previous one are forgotten. */
    public synchronized void play(List<byte[]> answers) {
        script = List.copyOf(answers);
        next.set(0);
        requests.set(0);
        written = 0;
    }

    /** The bytes written in answers since {@link #play}. */
    public long written() {
        return written;
    }

    /** The requests read since {@link #play}. */
    public int requests() {
        return requests.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                serve(s); // one at a time: a client of these tests sends one request at a time
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            socket.setSoTimeout(5_000);
            if (!readRequest(in)) {
                return;
            }
            requests.incrementAndGet();
            int i = next.getAndIncrement();
            List<byte[]> s = script;
            if (i < s.size()) {
                written += s.get(i).length; // before the write: the client may read the bytes before it returns
                out.write(s.get(i));
                out.flush();
            }
            socket.shutdownOutput();
        } catch (IOException e) {
            // the client hung up
        }
    }

    /** Reads one request head and its body (by Content-Length); false at the end of the stream. */
    private static boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            state = (b == '\n') ? state + 1 : (b == '\r' ? state : 0);
            if (state == 2) {
                long length = 0;
                for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Long.parseLong(line.substring(15).trim());
                    }
                }
                in.skipNBytes(length);
                return true;
            }
            if (head.size() > 65_536) {
                return false;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
