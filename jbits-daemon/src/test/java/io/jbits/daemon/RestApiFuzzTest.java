package io.jbits.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jbits.api.FileInfo;
import io.jbits.api.JobInfo;
import io.jbits.core.Engine;
import io.jbits.core.EngineConfig;
import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.Transport;
import io.jbits.rest.Json;
import io.jbits.store.sqlite.SqliteJobStore;
import io.jbits.testsupport.Fuzz;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated REST calls (methods, paths, query strings, JSON bodies, heads) against the real API on its Unix socket,
 * in front of the real engine and SQLite store: every answer is a success or a 4xx with a JSON error, never a 5xx,
 * the service answers to the end, and the jobs read back the same after a restart of the engine on the same
 * database. The network is a stub that refuses every connection, so resumed jobs touch no local file. Run long with
 * {@code -Dfuzz.inputs=1000000}.
 */
class RestApiFuzzTest {
    private static final String ME = System.getProperty("user.name");
    /** Refusals Jetty makes itself, before the API sees a request: they carry no JSON. */
    private static final Set<Integer> PROTOCOL_REFUSALS = Set.of(400, 413, 414, 415, 431, 501, 505);

    @TempDir
    Path home;
    @TempDir
    Path dest;
    private SqliteJobStore store;
    private Engine engine;
    private ApiServer server;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();

    /** Every connection fails: jobs go through their states without a byte or a temporary file. */
    private static final class NoNetwork implements Transport {
        @Override
        public boolean handles(URI remote) {
            return remote.getScheme() != null && remote.getScheme().toLowerCase().startsWith("http");
        }

        @Override
        public RemoteBody open(RemoteRequest request) throws IOException {
            throw new java.net.ConnectException("no network in this test");
        }
    }

    @BeforeEach
    void start() throws IOException {
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        startService();
    }

    private void startService() throws IOException {
        store = SqliteJobStore.open(home.resolve("jobs.db"));
        engine = Engine.start(EngineConfig.defaults(store, List.of(new NoNetwork()), ME));
        server = ApiServer.start(new ApiConfig(engine, home.resolve("jbits.sock"), ME, home, () -> { }));
    }

    @AfterEach
    void stop() throws IOException {
        watchdog.shutdownNow();
        stopService();
    }

    private void stopService() throws IOException {
        server.close();
        engine.close();
        store.close();
    }

    /** One call: method, target (path and query) and JSON body (null for none). */
    private record Call(String method, String target, String body) {
        String raw() {
            return request(method, target, body);
        }
    }

    private List<Call> corpus(List<String> ids) {
        String a = dest.resolve("a.bin").toString();
        String b = dest.resolve("sub/b.bin").toString();
        List<Call> requests = new ArrayList<>();
        requests.add(new Call("POST", "/v1/jobs", "{\"name\":\"n\",\"type\":\"download\",\"priority\":\"normal\","
                + "\"description\":\"d\"}"));
        requests.add(new Call("POST", "/v1/jobs", "{\"name\":\"u\",\"type\":\"upload\",\"priority\":\"high\"}"));
        requests.add(new Call("GET", "/v1/jobs?all=true", null));
        requests.add(new Call("GET", "/v1/jobs", null));
        requests.add(new Call("GET", "/v1/service", null));
        requests.add(new Call("POST", "/v1/service/stop", ""));
        for (String id : ids) {
            String job = "/v1/jobs/" + id;
            requests.add(new Call("GET", job, null));
            requests.add(new Call("PATCH", job, "{\"name\":\"x\",\"description\":\"y\",\"priority\":\"LOW\","
                    + "\"minRetryDelay\":5,\"noProgressTimeout\":1.5}"));
            requests.add(new Call("POST", job + "/files", "{\"remoteUrl\":\"http://127.0.0.1:1/a?q=1\","
                    + "\"localPath\":\"" + a + "\"}"));
            requests.add(new Call("POST", job + "/file-set", "{\"files\":[{\"remoteUrl\":\"http://127.0.0.1:1/b\","
                    + "\"localPath\":\"" + b + "\"},{\"remoteUrl\":\"https://[::1]:1/c\",\"localPath\":\"" + a
                    + "2\"}]}"));
            for (String verb : List.of("resume", "suspend", "cancel", "complete")) {
                requests.add(new Call("POST", job + "/" + verb, ""));
            }
            requests.add(new Call("PUT", job + "/files/0/remote-url", "{\"remoteUrl\":\"http://127.0.0.1:1/z\"}"));
            requests.add(new Call("PUT", job + "/reply-file", "{\"localPath\":\"" + a + ".reply\"}"));
            requests.add(new Call("GET", job + "/reply", null));
            requests.add(new Call("PUT", job + "/credentials", "{\"target\":\"server\",\"scheme\":\"digest\","
                    + "\"user\":\"DOMAIN\\\\alice\",\"secret\":\"pw\"}"));
            requests.add(new Call("DELETE", job + "/credentials/proxy/basic", null));
        }
        return requests;
    }

    private static String request(String method, String target, String body) {
        StringBuilder r = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
        if (body != null) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            r.append("Content-Type: application/json\r\nContent-Length: ").append(b.length).append("\r\n\r\n")
                    .append(body);
        } else {
            r.append("\r\n");
        }
        return r.toString();
    }

    /** The raw answer to raw bytes on a new connection (RawExchange). */
    private String exchange(byte[] request) throws IOException {
        return RawExchange.exchange(server.socket(), request, watchdog);
    }

    @Test
    void mutatedCallsGetASuccessOrAJsonRefusalAndLeaveEveryJobConsistent() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String created = exchange(request("POST", "/v1/jobs", "{\"name\":\"seed" + i + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            ids.add(Json.mapper().readTree(created.substring(created.indexOf("\r\n\r\n") + 4)).get("id").asText());
        }
        ids.add(ids.get(0).substring(0, 8));
        List<Call> corpus = corpus(ids);
        Fuzz fuzz = Fuzz.start("rest-api", 1200);
        int tried = 0;
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int n = 0; n < fuzz.inputs(); n++) {
            SplittableRandom r = fuzz.random(n);
            byte[] request = mutant(r, Fuzz.pick(r, corpus));
            String where = fuzz.where(n, new String(request, StandardCharsets.UTF_8));
            String answer = exchange(request);
            check(answer, where, statuses, new String(request, 0, Math.min(5, request.length),
                    StandardCharsets.ISO_8859_1).equals("HEAD "));
            tried++;
        }
        fuzz.done(tried);
        System.out.println("fuzz rest-api: statuses " + statuses);
        assertEquals(fuzz.inputs(), tried);
        assertTrue(statuses.keySet().stream().anyMatch(s -> s < 300), "some mutants still succeed: " + statuses);

        String service = exchange(request("GET", "/v1/service", null).getBytes(StandardCharsets.UTF_8));
        assertTrue(service.startsWith("HTTP/1.1 200"), "the service answers after the run: " + service);
        List<JobInfo> before = engine.jobs(true);
        for (JobInfo job : before) {
            assertEquals(job.files().size(), job.filesTotal(), "files of " + job);
            for (FileInfo f : job.files()) {
                assertTrue(Path.of(f.localPath()).isAbsolute(), "an absolute local path: " + f);
            }
            assertEquals(job.id(), engine.job(job.id()).id());
        }
        stopService();
        startService();
        List<JobInfo> after = engine.jobs(true);
        assertEquals(summary(before), summary(after), "the jobs read back the same after a restart");
        try (var files = Files.walk(dest)) {
            assertEquals(List.of(dest), files.toList(), "no job wrote a local file");
        }
    }

    /**
     * A mutant of {@code call}: mostly its JSON body or its target alone, so that the mutants get past the HTTP
     * parser into the API (the length is set to the mutated body); sometimes its method, or the raw request; and
     * one in five is the valid call itself, so that the jobs move through their states between the hostile calls.
     */
    private static byte[] mutant(SplittableRandom r, Call call) {
        int what = r.nextInt(10);
        Call m;
        if (what < 2) {
            m = call;
        } else if (what < 5 && call.body() != null) {
            m = new Call(call.method(), call.target(), Fuzz.mutate(r, call.body()));
        } else if (what < 7) {
            m = new Call(call.method(), Fuzz.mutate(r, call.target()).replaceAll("[\\s]", ""), call.body());
        } else if (what < 8) {
            m = new Call(Fuzz.pick(r, List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")),
                    call.target(), call.body() == null && r.nextBoolean() ? "{}" : call.body());
        } else {
            return Fuzz.mutate(r, call.raw().getBytes(StandardCharsets.UTF_8));
        }
        return m.raw().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> summary(List<JobInfo> jobs) {
        return jobs.stream().map(j -> j.id() + " " + j.name() + " " + j.type() + " " + j.priority() + " "
                + j.description() + " " + j.minRetryDelay() + " " + j.noProgressTimeout() + " " + j.options() + " "
                + j.files().stream().map(f -> f.remoteUrl() + "->" + f.localPath()).toList()).toList();
    }

    private static void check(String answer, String where, Map<Integer, Integer> statuses, boolean headRequest)
            throws IOException {
        if (answer.isEmpty()) {
            return; // the connection was closed without an answer: Jetty does that to garbage
        }
        assertTrue(answer.startsWith("HTTP/1.1 "), where + ": not an HTTP answer: " + answer);
        int status = Integer.parseInt(answer.substring(9, 12));
        statuses.merge(status, 1, Integer::sum);
        assertTrue(status < 500 || PROTOCOL_REFUSALS.contains(status), where + ": answered " + answer);
        int split = answer.indexOf("\r\n\r\n");
        String head = answer.substring(0, split < 0 ? answer.length() : split).toLowerCase();
        boolean json = head.contains("content-type: application/json");
        if (status >= 400 && json && !headRequest) {
            // a mutant may hold two requests, so the answer two responses: read the first body by its length
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("content-length: (\\d+)").matcher(head);
            String body = answer.substring(split + 4);
            if (length.find()) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                body = new String(bytes, 0, Math.min(bytes.length, Integer.parseInt(length.group(1))),
                        StandardCharsets.UTF_8);
            }
            JsonNode error = Json.mapper().readTree(body);
            assertTrue(error.hasNonNull("code") && error.hasNonNull("message")
                            && !error.get("message").asText().isBlank(),
                    where + ": an error without code or message: " + answer);
        } else if (status >= 400 && !headRequest) {
            assertTrue(PROTOCOL_REFUSALS.contains(status), where + ": a refusal without JSON: " + answer);
        }
    }
}
