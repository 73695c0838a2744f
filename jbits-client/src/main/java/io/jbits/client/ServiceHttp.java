package io.jbits.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import io.jbits.api.BitsCodes;
import io.jbits.api.JbitsException;
import io.jbits.rest.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The HTTP side of a {@link ServiceClient}: requests over the service's Unix socket, with JSON bodies, a timeout,
 * and refusals turned back into the {@link JbitsException} the service threw.
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

    private final Path socket;
    private final HttpClient http;
    private final Transport transport;

    private ServiceHttp(Path socket, HttpClient http) {
        this.socket = socket;
        this.http = http;
        this.transport = new Transport.TCPUnix(socket);
    }

    /** Starts an HTTP client of the socket; nothing is sent yet. */
    static ServiceHttp start(Path socket) throws IOException {
        HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(new PlainConnector()));
        QueuedThreadPool pool = new QueuedThreadPool(32, 1);
        pool.setName("jbits-client");
        pool.setDaemon(true);
        http.setExecutor(pool);
        http.setScheduler(new ScheduledExecutorScheduler("jbits-client-scheduler", true));
        http.setConnectTimeout(5_000);
        try {
            http.start();
        } catch (Exception e) {
            throw new IOException("cannot start the HTTP client: " + e.getMessage(), e);
        }
        return new ServiceHttp(socket, http);
    }

    /**
     * A connector for the Unix socket, which never carries TLS: its TLS factory is never started, so no run loads
     * the JDK's TLS stack and trust store (a third of a short CLI run's start).
     */
    private static final class PlainConnector extends ClientConnector {
        @Override
        protected SslContextFactory.Client newSslContextFactory() {
            return new SslContextFactory.Client() {
                @Override
                protected void doStart() {
                    // nothing to load: no TLS on a Unix socket
                }
            };
        }
    }

    /** The socket the requests go to. */
    Path socket() {
        return socket;
    }

    /** The HTTP client, for connections of their own (event streams). */
    HttpClient client() {
        return http;
    }

    /** The Unix socket transport of every request. */
    Transport transport() {
        return transport;
    }

    /** Stops the HTTP client and its threads. */
    void stop() {
        try {
            http.stop();
        } catch (Exception e) {
            // Nothing is left to release that matters to the caller.
        }
    }

    /**
     * One request; a 2xx answer read as {@code answer} (null reads none), a refusal thrown as the service's
     * {@link JbitsException}.
     */
    <T> T call(String method, String path, Object body, JavaType answer) {
        Request request = http.newRequest("http://localhost" + path)
                .transport(transport)
                .method(method)
                .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .headers(h -> h.put("Accept", JSON));
        if (body != null) {
            request.body(new BytesRequestContent(JSON, toJson(body)));
        }
        ContentResponse response = send(request, method + " " + path);
        int status = response.getStatus();
        byte[] content = response.getContent();
        if (status >= 200 && status < 300) {
            if (answer == null) {
                return null;
            }
            try {
                return Json.mapper().readValue(content, answer);
            } catch (IOException e) {
                throw new UncheckedIOException(new IOException(
                        "unreadable answer from the jbits service to " + method + " " + path + ": " + e.getMessage(),
                        e));
            }
        }
        throw refusal(status, content);
    }

    /**
     * A GET whose answer is read as a stream; refusals throw as {@link #call} does. The caller closes the stream
     * (which ends the exchange).
     */
    InputStream open(String path) {
        Request request = http.newRequest("http://localhost" + path)
                .transport(transport)
                .method("GET")
                .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .headers(h -> h.put("Accept", JSON));
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        org.eclipse.jetty.client.Response response = answer(
                () -> listener.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), "GET " + path, request);
        InputStream in = listener.getInputStream();
        int status = response.getStatus();
        if (status >= 200 && status < 300) {
            return in;
        }
        byte[] error;
        try (in) {
            error = in.readNBytes(MAX_ERROR_BYTES);
        } catch (IOException e) {
            error = new byte[0];
        }
        throw refusal(status, error);
    }

    private ContentResponse send(Request request, String what) {
        return answer(() -> new CompletableResponseListener(request, MAX_RESPONSE_BYTES).send()
                .get(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS), what, null);
    }

    /** Waiting for one answer of the service: a {@link java.util.concurrent.Future#get} with a timeout. */
    @FunctionalInterface
    private interface Wait<T> {
        T get() throws InterruptedException, ExecutionException, TimeoutException;
    }

    /**
     * The answer {@code wait} gives, with its failures as one clear IOException each; a request that timed out is
     * aborted when given ({@code abortOnTimeout}), so its exchange ends.
     */
    private <T> T answer(Wait<T> wait, String what, Request abortOnTimeout) {
        try {
            return wait.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted during " + what));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new UncheckedIOException(new IOException(
                    "no answer from the jbits service on " + socket + " (" + describe(cause) + ")", cause));
        } catch (TimeoutException e) {
            if (abortOnTimeout != null) {
                abortOnTimeout.abort(e);
            }
            throw new UncheckedIOException(new IOException(
                    "the jbits service did not answer " + what + " within " + TIMEOUT_SECONDS + " s", e));
        }
    }

    private static JbitsException refusal(int status, byte[] content) {
        try {
            Json.Error error = Json.mapper().readValue(content, Json.Error.class);
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
