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
 * heads and JSON bodies; separated by NUL bytes) sent one per connection to the real API handler, in front of the
 * real engine and SQLite store, through Jetty's in-process connector on the fuzzer's thread ({@link LocalApi}: the
 * API's own Jetty server and HTTP configuration, and a real Unix socket for {@link PeerCheck} to read the caller
 * from). {@code {JOB}} in them stands for a job made for this input (a suspended download with one file; the one
 * of the input before when no request changed it), {@code {DEST}} for a local directory. Every answer is a success or a 4xx with
 * a JSON {@code code} and {@code message} (Jetty's own protocol refusals too), never a 5xx but Jetty's 501 and 505; and a
 * refused request leaves the job as it was (its {@code info} before and after compared). The network is a stub that
 * refuses every connection. The state directory (database, socket) is on {@code /dev/shm} where there is one: the
 * same code and fsyncs, which tmpfs makes cheap. A plain test run replays
 * {@code src/test/resources/io/jbits/daemon/RestApiJazzerTestInputs}.
 */
class RestApiJazzerTest {
    private static final String ME = System.getProperty("user.name");
    /** Refusals Jetty makes itself, before the API sees a request (with the API's JSON body: ApiErrors). */
    private static final Set<Integer> PROTOCOL_REFUSALS = Set.of(400, 413, 414, 415, 426, 431, 501, 505);
    /**
     * A request line: a method, a target and an HTTP version at a line's start. Jetty takes "HtTP/1.1" too, and
     * several spaces between the parts (RFC 9112, section 3, lets a server parse on whitespace boundaries).
     */
    private static final Pattern REQUEST_LINE = Pattern.compile("(?m)^(\\S+) +\\S+ +(?i:HTTP)/");
    private static final Pattern LENGTH = Pattern.compile("(?im)^content-length: *(\\d+)");
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");
    /**
     * Inputs served by one service before a fresh one (new state directory, store, engine and API) takes over: the
     * jobs the inputs cancelled stay listed (a day, as BITS keeps them), and every input that lists the jobs pays
     * for each. With 20,000 inputs a service, writing those lists was two thirds of the fuzzer's time.
     */
    private static final int INPUTS_PER_SERVICE = 2_000;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rest-fuzz-watchdog");
        t.setDaemon(true);
        return t;
    });
    private static Service service;
    private static int inputs;
    /** A job no input has changed yet (every request to it was refused), made again only when one did. */
    private static String spare;
    /** What {@link #summary} said of the spare job when it was made. */
    private static String pristine;

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

    /** One service: its state directory, store, engine and API, reached in process ({@link LocalApi}). */
    private record Service(Path home, Path dest, SqliteJobStore store, Engine engine, ApiServer server, LocalApi api)
            implements AutoCloseable {
        static Service start() throws Exception {
            Path shm = Path.of("/dev/shm");
            Path home = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "jbits-rest-fuzz")
                    : Files.createTempDirectory("jbits-rest-fuzz");
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            Path dest = Files.createDirectories(home.resolve("dest"));
            SqliteJobStore store = SqliteJobStore.open(home.resolve("jobs.db"));
            Engine engine = Engine.start(EngineConfig.defaults(store, List.of(new NoNetwork()), ME));
            ApiServer server = ApiServer.start(new ApiConfig(engine, home.resolve("jbits.sock"), ME, home, () -> { }));
            return new Service(home, dest, store, engine, server, LocalApi.attach(server, home));
        }

        @Override
        public void close() throws Exception {
            api.close();
            server.close();
            engine.close();
            store.close();
            try (var all = Files.walk(home)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (service != null) {
                    service.close();
                }
            } catch (Exception e) {
                // the JVM is going away
            }
        }));
    }

    @FuzzTest(maxDuration = "5m")
    void everyRefusalIsAJsonFourHundredAndLeavesTheJobAsItWas(byte[] input) throws Exception {
        if (service == null || inputs++ == INPUTS_PER_SERVICE) {
            if (service != null) {
                service.close();
            }
            service = Service.start();
            inputs = 0;
            spare = null;
        }
        Engine engine = service.engine();
        JobInfo job;
        if (spare != null) {
            job = engine.job(spare);
        } else {
            job = engine.create(NewJob.download("fuzz"));
            job = engine.addFile(job.id(), "http://127.0.0.1:1/a", service.dest().resolve("a.bin").toString());
            pristine = summary(engine.job(job.id()), true);
        }
        spare = null;
        boolean changed = false;
        try {
            for (int start = 0, i = 0; i <= input.length; i++) {
                if (i < input.length && input[i] != 0) {
                    continue;
                }
                String raw = new String(input, start, i - start, StandardCharsets.UTF_8);
                start = i + 1;
                byte[] request = raw.replace("{JOB}", job.id()).replace("{DEST}", service.dest().toString())
                        .getBytes(StandardCharsets.UTF_8);
                JobInfo before = engine.job(job.id());
                String answer = service.api().exchange(request, WATCHDOG);
                if (answer.isEmpty()) {
                    continue; // closed without an answer: Jetty does that to garbage
                }
                int status = check(answer, raw);
                if (status >= 400 && allRefused(answer)) {
                    JobInfo after = engine.job(job.id());
                    assertEquals(summary(before, before.state() == JobState.SUSPENDED),
                            summary(after, before.state() == JobState.SUSPENDED),
                            "a refused request (" + status + ") changed the job:\n" + raw + "\n" + answer);
                } else {
                    changed = true;
                }
            }
        } finally {
            if (changed || !summary(engine.job(job.id()), true).equals(pristine)) {
                try {
                    engine.cancel(job.id());
                } catch (JbitsException e) {
                    // cancelled or completed by the input
                }
            } else {
                spare = job.id();
            }
        }
    }

    private static String summary(JobInfo j, boolean withState) {
        return j.id() + " " + j.name() + " " + j.type() + " " + j.priority() + " " + j.description() + " "
                + j.minRetryDelay() + " " + j.noProgressTimeout() + " " + j.options() + " " + j.replyFile() + " "
                + j.files().stream().map(f -> f.remoteUrl() + "->" + f.localPath()).toList()
                + (withState ? " " + j.state() : "");
    }

    /**
     * Whether every response in the answer is a refusal. One input can hold several requests on its connection
     * (HTTP/1.1 pipelining: a refused first one, then a resume that succeeds), each answered in turn. Any status
     * line counts, even one a refusal's message echoes: that can only hide a change, never invent one.
     */
    private static boolean allRefused(String answer) {
        Matcher m = STATUS_LINE.matcher(answer);
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) < 400) {
                return false;
            }
        }
        return true;
    }

    /** Checks an answer; returns its status. */
    private static int check(String answer, String raw) throws IOException {
        assertTrue(answer.startsWith("HTTP/1.1 "), "not an HTTP answer: " + answer + "\nto\n" + raw);
        int status = Integer.parseInt(answer.substring(9, 12));
        assertTrue(status < 500 || PROTOCOL_REFUSALS.contains(status), "answered " + answer + "\nto\n" + raw);
        // A server ignores empty lines before a request line (RFC 9112, section 2.2), and Jetty skips a line of
        // only ":" too: a HEAD after them is answered without a body. So the first line that looks like a request
        // line decides (where Jetty refused an earlier line instead, this can only skip a check, never fail one)
        Matcher requestLine = REQUEST_LINE.matcher(raw);
        boolean head = requestLine.find() && requestLine.group(1).equals("HEAD");
        int split = answer.indexOf("\r\n\r\n");
        String heads = answer.substring(0, split < 0 ? answer.length() : split).toLowerCase(Locale.ROOT);
        if (status >= 400 && !head) {
            // Jetty's own refusals too (ApiErrors)
            assertTrue(heads.contains("content-type: application/json"), "a refusal without JSON: " + answer
                    + "\nto\n" + raw);
            // the input may hold two requests, so the answer two responses: the first body by its length
            String body = answer.substring(split + 4);
            Matcher length = LENGTH.matcher(heads);
            if (length.find()) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                body = new String(bytes, 0, Math.min(bytes.length, Integer.parseInt(length.group(1))),
                        StandardCharsets.UTF_8);
            }
            JsonNode error;
            try {
                error = Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("a refusal whose body is no JSON (" + e.getMessage() + "): " + answer
                        + "\nto\n" + raw, e);
            }
            assertTrue(error.hasNonNull("code") && error.hasNonNull("message")
                    && !error.get("message").asText().isBlank(), "an error without code or message: " + answer
                    + "\nto\n" + raw);
        }
        return status;
    }

}
