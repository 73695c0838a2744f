package io.jbits.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jbits.api.BitsCodes;
import io.jbits.api.JbitsException;
import io.jbits.rest.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The HTTP side of a {@link ServiceClient}: requests over the service's Unix socket ({@link UnixHttp}), with JSON
 * bodies, a timeout, and refusals turned back into the {@link JbitsException} the service threw.
 *
 * <p>A service that stops answering makes calls throw {@link UncheckedIOException}.
 */
final class ServiceHttp {
    private static final long TIMEOUT_SECONDS = 60;
    /** Largest answer read; a list of many large jobs stays far below it. */
    private static final int MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
    /** Largest error body read from a streamed answer. */
    private static final int MAX_ERROR_BYTES = 64 * 1024;
    private static final String JSON = "application/json";
    private static final Map<String, String> ACCEPT_JSON = Map.of("Accept", JSON);

    private final Path socket;
    /**
     * Starts the service when the first exchange finds nothing listening on the socket; null once one got through,
     * or when this client may start none.
     */
    private volatile Starter starter;

    /** Starts the service and returns once it answers. */
    @FunctionalInterface
    interface Starter {
        void start() throws IOException;
    }

    private ServiceHttp(Path socket, Starter starter) {
        this.socket = socket;
        this.starter = starter;
    }

    /** A client of the socket; nothing is sent yet, and nothing runs until a request is made. */
    static ServiceHttp start(Path socket) {
        return new ServiceHttp(socket, null);
    }

    /**
     * A client of the socket that, when its first exchange finds nothing listening there (nothing was sent then),
     * runs {@code starter} and makes the exchange again: a running service answers the first request itself, with
     * no question before it whether it runs.
     */
    static ServiceHttp startingOnDemand(Path socket, Starter starter) {
        return new ServiceHttp(socket, starter);
    }

    /** The socket the requests go to. */
    Path socket() {
        return socket;
    }

    /** How the bytes of a 2xx answer become the value a call returns. */
    @FunctionalInterface
    interface Answer<T> {
        T read(byte[] content) throws IOException;
    }

    /** Nothing to release: each exchange has a connection of its own, closed with it. */
    void stop() {
        // no connection outlives its exchange
    }

    /**
     * One request; a 2xx answer read as {@code answer} (null reads none), a refusal thrown as the service's
     * {@link JbitsException}.
     */
    <T> T call(String method, String path, Object body, Answer<T> answer) {
        String what = method + " " + path;
        byte[] content;
        int status;
        UnixHttp.Response response = exchange(method, path, ACCEPT_JSON, body == null ? null : toJson(body), what);
        try (InputStream in = response.body()) {
            status = response.status();
            content = in.readNBytes(MAX_RESPONSE_BYTES);
        } catch (IOException e) {
            throw failure(e, what);
        }
        if (status >= 200 && status < 300) {
            if (answer == null) {
                return null;
            }
            try {
                return answer.read(content);
            } catch (IOException e) {
                throw new UncheckedIOException(new IOException(
                        "unreadable answer from the jbits service to " + what + ": " + e.getMessage(), e));
            }
        }
        throw refusal(status, content);
    }

    /**
     * A GET whose answer is read as a stream; refusals throw as {@link #call} does. The caller closes the stream
     * (which ends the exchange).
     */
    InputStream open(String path) {
        return open(path, ACCEPT_JSON, TIMEOUT_SECONDS * 1000).body();
    }

    /**
     * A GET with these headers whose 2xx answer is returned with its body unread; no byte may pass between two for
     * longer than {@code idleMillis}. Refusals throw as {@link #call} does.
     */
    UnixHttp.Response open(String path, Map<String, String> headers, long idleMillis) {
        String what = "GET " + path;
        UnixHttp.Response response;
        try {
            response = send("GET", path, headers, null, null, idleMillis);
        } catch (IOException e) {
            throw failure(e, what);
        }
        int status = response.status();
        if (status >= 200 && status < 300) {
            return response;
        }
        byte[] error;
        try (InputStream in = response.body()) {
            error = in.readNBytes(MAX_ERROR_BYTES);
        } catch (IOException e) {
            error = new byte[0];
        }
        throw refusal(status, error);
    }

    private UnixHttp.Response exchange(String method, String path, Map<String, String> headers, byte[] body,
                                       String what) {
        try {
            return send(method, path, headers, body == null ? null : JSON, body, TIMEOUT_SECONDS * 1000);
        } catch (IOException e) {
            throw failure(e, what);
        }
    }

    /**
     * One exchange; the first that finds nothing listening starts the service (when this client may) and is made
     * again. A failure to start throws its own message, unwrapped.
     */
    private UnixHttp.Response send(String method, String path, Map<String, String> headers, String contentType,
                                   byte[] body, long idleMillis) throws IOException {
        Starter start = starter;
        if (start == null) {
            return UnixHttp.exchange(socket, method, path, headers, contentType, body, idleMillis);
        }
        try {
            UnixHttp.Response response = UnixHttp.exchange(socket, method, path, headers, contentType, body,
                    idleMillis);
            starter = null;
            return response;
        } catch (UnixHttp.NotListeningException notListening) {
            starter = null;
            try {
                start.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return UnixHttp.exchange(socket, method, path, headers, contentType, body, idleMillis);
        }
    }

    /** A failed exchange as one clear IOException: interrupted, timed out, or no answer. */
    private UncheckedIOException failure(IOException e, String what) {
        if (e instanceof ClosedByInterruptException || e instanceof InterruptedIOException
                || Thread.currentThread().isInterrupted()) {
            Thread.currentThread().interrupt();
            return new UncheckedIOException(new InterruptedIOException("interrupted during " + what));
        }
        if (e instanceof UnixHttp.IdleTimeoutException) {
            return new UncheckedIOException(new IOException(
                    "the jbits service did not answer " + what + " within " + TIMEOUT_SECONDS + " s", e));
        }
        return new UncheckedIOException(new IOException(
                "no answer from the jbits service on " + socket + " (" + describe(e) + ")", e));
    }

    static JbitsException refusal(int status, byte[] content) {
        try {
            Json.Error error = JobJson.error(content);
            return new JbitsException(BitsCodes.parse(error.code()), error.message());
        } catch (IOException | RuntimeException unreadable) {
            String text = new String(content, StandardCharsets.UTF_8).strip();
            if (text.length() > 200) {
                text = text.substring(0, 200) + "…";
            }
            return new JbitsException(BitsCodes.E_FAIL, "the jbits service answered HTTP " + status
                    + (text.isEmpty() ? "" : ": " + text));
        }
    }

    private static byte[] toJson(Object body) {
        if (body instanceof byte[] written) {
            return written;
        }
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + body + " as JSON: " + e.getMessage(), e);
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
