package io.jbits.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.jbits.api.JbitsException;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.NewJob;
import io.jbits.core.Engine;
import io.jbits.core.EngineConfig;
import io.jbits.rest.Json;
import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.Transport;
import io.jbits.store.sqlite.SqliteJobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing (Jazzer) of the REST API: the fuzzer's bytes are requests (methods, paths, query strings,
 * heads and JSON bodies; separated by NUL bytes) sent one per connection to the real API on its Unix socket, in
 * front of the real engine and SQLite store. {@code {JOB}} in them stands for a job made for this input (a
 * suspended download with one file), {@code {DEST}} for a local directory. Every answer is a success or a 4xx with
 * a JSON {@code code} and {@code message} (only Jetty's own protocol refusals come without JSON), never a 5xx; and a
 * refused request leaves the job as it was (its {@code info} before and after compared). The network is a stub that
 * refuses every connection. A plain test run replays
 * {@code src/test/resources/io/jbits/daemon/RestApiJazzerTestInputs}.
 */
class RestApiJazzerTest {
    private static final String ME = System.getProperty("user.name");
    /** Refusals Jetty makes itself, before the API sees a request: they carry no JSON. */
    private static final Set<Integer> PROTOCOL_REFUSALS = Set.of(400, 413, 414, 415, 431, 501, 505);
    private static final Pattern LENGTH = Pattern.compile("(?im)^content-length: *(\\d+)");
    private static final Path HOME;
    private static final Path DEST;
    private static final Engine ENGINE;
    private static final ApiServer SERVER;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rest-fuzz-watchdog");
        t.setDaemon(true);
        return t;
    });

    /** Every connection fails: jobs go through their states without a byte or a temporary file. */
    private static final class NoNetwork implements Transport {
        @Override
        public boolean handles(URI remote) {
            return remote.getScheme() != null && remote.getScheme().toLowerCase(Locale.ROOT).startsWith("http");
        }

        @Override
        public RemoteBody open(RemoteRequest request) throws IOException {
            throw new java.net.ConnectException("no network in this test");
        }
    }

    static {
        try {
            HOME = Files.createTempDirectory("jbits-rest-fuzz");
            Files.setPosixFilePermissions(HOME, PosixFilePermissions.fromString("rwx------"));
            DEST = Files.createDirectories(HOME.resolve("dest"));
            SqliteJobStore store = SqliteJobStore.open(HOME.resolve("jobs.db"));
            ENGINE = Engine.start(EngineConfig.defaults(store, List.of(new NoNetwork()), ME));
            SERVER = ApiServer.start(new ApiConfig(ENGINE, HOME.resolve("jbits.sock"), ME, HOME, () -> { }));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    SERVER.close();
                    ENGINE.close();
                    store.close();
                } catch (Exception e) {
                    // the JVM is going away
                }
            }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void everyRefusalIsAJsonFourHundredAndLeavesTheJobAsItWas(byte[] input) throws IOException {
        JobInfo job = ENGINE.create(NewJob.download("fuzz"));
        ENGINE.addFile(job.id(), "http://127.0.0.1:1/a", DEST.resolve("a.bin").toString());
        try {
            for (int start = 0, i = 0; i <= input.length; i++) {
                if (i < input.length && input[i] != 0) {
                    continue;
                }
                String raw = new String(input, start, i - start, StandardCharsets.UTF_8);
                start = i + 1;
                byte[] request = raw.replace("{JOB}", job.id()).replace("{DEST}", DEST.toString())
                        .getBytes(StandardCharsets.UTF_8);
                JobInfo before = ENGINE.job(job.id());
                String answer = exchange(request);
                if (answer.isEmpty()) {
                    continue; // closed without an answer: Jetty does that to garbage
                }
                int status = check(answer, raw);
                if (status >= 400) {
                    JobInfo after = ENGINE.job(job.id());
                    assertEquals(summary(before, before.state() == JobState.SUSPENDED),
                            summary(after, before.state() == JobState.SUSPENDED),
                            "a refused request (" + status + ") changed the job:\n" + raw + "\n" + answer);
                }
            }
        } finally {
            try {
                ENGINE.cancel(job.id());
            } catch (JbitsException e) {
                // cancelled or completed by the input
            }
        }
    }

    private static String summary(JobInfo j, boolean withState) {
        return j.id() + " " + j.name() + " " + j.type() + " " + j.priority() + " " + j.description() + " "
                + j.minRetryDelay() + " " + j.noProgressTimeout() + " " + j.options() + " " + j.replyFile() + " "
                + j.files().stream().map(f -> f.remoteUrl() + "->" + f.localPath()).toList()
                + (withState ? " " + j.state() : "");
    }

    /** Checks an answer; returns its status. */
    private static int check(String answer, String raw) throws IOException {
        assertTrue(answer.startsWith("HTTP/1.1 "), "not an HTTP answer: " + answer + "\nto\n" + raw);
        int status = Integer.parseInt(answer.substring(9, 12));
        assertTrue(status < 500 || PROTOCOL_REFUSALS.contains(status), "answered " + answer + "\nto\n" + raw);
        boolean head = raw.startsWith("HEAD ");
        int split = answer.indexOf("\r\n\r\n");
        String heads = answer.substring(0, split < 0 ? answer.length() : split).toLowerCase(Locale.ROOT);
        if (status >= 400 && !head) {
            if (!heads.contains("content-type: application/json")) {
                assertTrue(PROTOCOL_REFUSALS.contains(status), "a refusal without JSON: " + answer + "\nto\n" + raw);
                return status;
            }
            // the input may hold two requests, so the answer two responses: the first body by its length
            String body = answer.substring(split + 4);
            Matcher length = LENGTH.matcher(heads);
            if (length.find()) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                body = new String(bytes, 0, Math.min(bytes.length, Integer.parseInt(length.group(1))),
                        StandardCharsets.UTF_8);
            }
            JsonNode error = Json.mapper().readTree(body);
            assertTrue(error.hasNonNull("code") && error.hasNonNull("message")
                    && !error.get("message").asText().isBlank(), "an error without code or message: " + answer
                    + "\nto\n" + raw);
        }
        return status;
    }

    /** The raw answer to raw bytes on a new connection (RawExchange). */
    private static String exchange(byte[] request) throws IOException {
        return RawExchange.exchange(SERVER.socket(), request, WATCHDOG);
    }
}
