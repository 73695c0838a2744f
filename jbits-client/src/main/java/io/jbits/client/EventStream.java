package io.jbits.client;

import io.jbits.api.BitsCodes;
import io.jbits.api.JobEvent;
import io.jbits.events.EventDelivery;
import io.jbits.api.JbitsException;
import io.jbits.api.JobListener;
import io.jbits.api.Subscription;
import io.jbits.rest.ApiParameters;
import io.jbits.rest.Json;
import io.jbits.rest.Route;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One listener of a {@link ServiceClient}, fed by its own connection to {@code GET /v1/events} (JSON lines).
 *
 * <p>The connection is opened again whenever it ends (the service stopped, was killed, restarted), from the last
 * position seen, with pauses growing from 100 ms to 2 s; the service then sends what was missed, and a service
 * restarted meanwhile sends the TRANSFERRED and ERROR events its jobs still owe. The events go through an
 * {@link EventDelivery} of their own, which drops what was seen already (by per-job number) and paces progress.
 */
final class EventStream implements Subscription {
    /** The service writes at least every 15 s; twice that without a byte means the connection is dead. */
    private static final long IDLE_SECONDS = 40;
    private static final long MAX_PAUSE_MILLIS = 2_000;
    private static final long FIRST_ANSWER_SECONDS = 15;

    private final ServiceHttp http;
    private final String jobId;
    /** The listener's kinds as the {@code kinds} parameter, or null for all: the service sends only those. */
    private final String kinds;
    private final EventDelivery delivery;
    private final Subscription subscription;
    private final Thread reader;
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private volatile Exception firstFailure;
    private volatile boolean closed;
    private volatile InputStream current;
    private long position = -1;

    private EventStream(ServiceHttp http, String jobId, Duration interval, JobListener listener) {
        this.http = http;
        this.jobId = jobId;
        Set<JobEvent.Kind> wanted = listener.kinds();
        this.kinds = wanted.containsAll(EnumSet.allOf(JobEvent.Kind.class)) ? null
                : ApiParameters.kinds(wanted);
        this.delivery = new EventDelivery("jbits-client-events");
        this.subscription = delivery.subscribe(jobId, interval, listener, List.of());
        /*
         * A platform daemon thread, not a virtual one: a virtual thread's socket read starts the JDK's poller, a
         * platform thread that waits in epoll_wait for the JVM's whole life, and a JVM exits only after up to 300 ms
         * of waiting for its threads in native code to block. That cost every `jbits transfer` 0.3 s at its end.
         */
        this.reader = Thread.ofPlatform().daemon().name("jbits-event-stream").unstarted(this::run);
    }

    /**
     * Opens the stream and returns once the service has answered: every event after that reaches the listener.
     *
     * @throws java.io.UncheckedIOException when the service does not answer
     */
    static EventStream open(ServiceHttp http, String jobId, Duration interval, JobListener listener) {
        EventStream s = new EventStream(http, jobId, interval, listener);
        s.reader.start();
        try {
            if (!s.firstAttempt.await(FIRST_ANSWER_SECONDS, TimeUnit.SECONDS)) {
                s.firstFailure = new IOException("no answer within " + FIRST_ANSWER_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.firstFailure = new InterruptedIOException("interrupted while opening the event stream");
        }
        Exception failure = s.firstFailure;
        if (failure != null) {
            s.close();
            if (failure instanceof JbitsException refused) {
                throw refused;
            }
            throw new UncheckedIOException(new IOException("cannot open the jbits event stream: "
                    + failure.getMessage(), failure));
        }
        return s;
    }

    private void run() {
        long pause = 100;
        while (!closed) {
            try {
                if (readOnce()) {
                    pause = 100; // it was connected: reconnect quickly
                }
            } catch (JbitsException e) {
                firstFailed(e);
                log().log(System.Logger.Level.WARNING, "event stream refused: " + e.getMessage());
                if (e.code() == BitsCodes.BG_E_NOT_FOUND) {
                    return; // the job is gone for good
                }
            } catch (IOException | RuntimeException e) {
                firstFailed(e);
                if (!closed) { // a stream closed by its subscriber ends in an exception too: nothing to log
                    log().log(System.Logger.Level.DEBUG, "event stream interrupted: " + e);
                }
            } catch (InterruptedException e) {
                firstFailed(e);
                return;
            }
            if (closed) {
                return;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
            pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
        }
    }

    private void firstFailed(Exception e) {
        if (firstAttempt.getCount() > 0) {
            firstFailure = e;
            firstAttempt.countDown();
        }
    }

    /** Reads one connection to its end; true when it was established. */
    private boolean readOnce() throws IOException, InterruptedException {
        StringBuilder uri = new StringBuilder(Route.EVENTS.path()).append('?')
                .append(ApiParameters.FORMAT).append('=').append(ApiParameters.JSON_LINES);
        if (jobId != null) {
            uri.append('&').append(ApiParameters.JOB).append('=')
                    .append(URLEncoder.encode(jobId, StandardCharsets.UTF_8));
        }
        if (kinds != null) {
            uri.append('&').append(ApiParameters.KINDS).append('=').append(kinds);
        }
        if (position >= 0) {
            uri.append('&').append(ApiParameters.AFTER).append('=').append(position);
        }
        UnixHttp.Response response;
        try {
            response = http.open(uri.toString(), Map.of("Accept", "application/x-ndjson"),
                    TimeUnit.SECONDS.toMillis(IDLE_SECONDS));
        } catch (UncheckedIOException e) {
            throw e.getCause(); // a refusal comes as the service's JbitsException, as it is
        }
        try (InputStream in = response.body()) {
            String start = response.header(ApiParameters.POSITION_HEADER);
            if (position < 0 && start != null) {
                position = Long.parseLong(start.strip());
            }
            current = in;
            firstAttempt.countDown();
            if (closed) {
                return true;
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while (!closed && (line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue; // keep-alive
                }
                Json.StreamEvent e = JobJson.event(line);
                position = Math.max(position, e.id());
                delivery.publish(e.event());
            }
            return true;
        } finally {
            current = null;
        }
    }

    /**
     * The logger, looked up only when there is something to log: the lookup finds and sets up the platform's logging
     * backend (a scan of the class path, slf4j's configuration), a tenth of a {@code jbits transfer}'s CPU.
     */
    private static System.Logger log() {
        return System.getLogger(EventStream.class.getName());
    }

    @Override
    public void close() {
        closed = true;
        subscription.close();
        delivery.close();
        InputStream in = current;
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // closing is best effort; the reader ends at its next line anyway
            }
        }
        reader.interrupt();
    }
}
