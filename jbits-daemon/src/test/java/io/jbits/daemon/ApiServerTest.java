package io.jbits.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.FileInfo;
import io.jbits.api.JbitsException;
import io.jbits.api.JobChanges;
import io.jbits.api.JobError;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.NewFile;
import io.jbits.api.NewJob;
import io.jbits.api.Priority;
import io.jbits.client.ServiceClient;
import io.jbits.rest.Json;
import io.jbits.rest.ServiceStatus;
import java.io.ByteArrayOutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.io.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiServerTest {
    private static final String ME = System.getProperty("user.name");

    @TempDir
    Path home;
    private final MemoryJobs jobs = new MemoryJobs(ME);
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private ApiServer server;
    private ServiceClient client;
    private HttpClient raw;

    @BeforeEach
    void start() throws Exception {
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        server = ApiServer.start(new ApiConfig(jobs, home.resolve("jbits.sock"), ME, home, stopRequested::countDown));
        client = ServiceClient.connect(server.socket());
        raw = new HttpClient();
        raw.start();
    }

    @AfterEach
    void stop() throws Exception {
        raw.stop();
        client.close();
        server.close();
    }

    private ContentResponse send(String method, String path, String body) throws Exception {
        var request = raw.newRequest("http://localhost" + path).method(method)
                .transport(new Transport.TCPUnix(server.socket())).timeout(10, TimeUnit.SECONDS);
        if (body != null) {
            request.body(new StringRequestContent("application/json", body));
        }
        return request.send();
    }

    /** Writes raw bytes on a new connection and reads the answer until the server closes it. */
    private String rawExchange(String request) throws Exception {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(server.socket()))) {
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            ch.shutdownOutput();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            for (int i = 0; i < 1000 && ch.read(buf.clear()) > 0; i++) {
                answer.write(buf.array(), 0, buf.position());
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static JsonNode json(ContentResponse r) throws Exception {
        return Json.mapper().readTree(r.getContentAsString());
    }

    @Test
    void aQueryThatIsNoValidEncodingIsABadRequestNotAServerError() throws Exception {
        // found by RestApiJazzerTest: Jetty refuses such a query only when the endpoint reads its parameters
        for (String query : List.of("?all=tr%f0%04", "?all=%zz", "?all=true&files=%")) {
            String answer = rawExchange("GET /v1/jobs" + query + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 400 "), query + ":\n" + answer);
            JsonNode error = Json.mapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertEquals("E_INVALIDARG", error.get("symbol").asText(), answer);
        }
    }

    /**
     * Refusals Jetty makes before the API sees the request carry the API's JSON error body too, whatever the
     * method: a bad request line, a request line of another protocol, a head field too large, a bad URI.
     */
    @Test
    void whatJettyRefusesBeforeTheApiIsAJsonErrorToo() throws Exception {
        record Case(String request, int status, String symbol) {
        }
        for (Case c : List.of(
                new Case("GET /v1/jobs HTTP/1.1\r\nHost: localhost\r\nContent-Length: x\r\n\r\n", 400, "E_INVALIDARG"),
                new Case("PATCH /v1/jobs HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n", 400, "E_INVALIDARG"),
                new Case("GET /v1/jobs HTTP/2.0\r\nHost: localhost\r\n\r\n", 426, "E_INVALIDARG"),
                new Case("GET /v1/jobs HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000)
                        + "\r\n\r\n", 431, "E_INVALIDARG"),
                new Case("GET /v1/jobs HTTP/1.5\r\nHost: localhost\r\n\r\n", 505, "E_NOTIMPL"))) {
            String answer = rawExchange(c.request());
            String line = answer.substring(0, Math.max(0, answer.indexOf("\r\n")));
            assertTrue(answer.startsWith("HTTP/1.1 " + c.status() + " "), line + " for " + c.request().lines()
                    .findFirst().orElseThrow() + ":\n" + answer);
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("\ncontent-type: application/json"), answer);
            int start = answer.indexOf("\r\n\r\n") + 4;
            JsonNode error = Json.mapper().readTree(answer.substring(start));
            assertEquals(c.symbol(), error.get("symbol").asText(), answer);
            assertTrue(!error.get("message").asText().isBlank(), answer);
        }
    }

    @Test
    void socketFileIsReadableAndWritableByItsOwnerOnly() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socket())));
    }

    @Test
    void serviceReportsVersionPidOwnerHomeAndJobCount() {
        client.create(NewJob.download("a"));
        ServiceStatus s = client.status();
        assertEquals(ProcessHandle.current().pid(), s.pid());
        assertEquals(ME, s.owner());
        assertEquals(home.toString(), s.home());
        assertEquals(1, s.jobs());
        assertTrue(!s.version().isBlank());
    }

    @Test
    void jobGoesThroughEveryEndpoint() {
        JobInfo created = client.create(new NewJob("nightly", io.jbits.api.JobType.DOWNLOAD, Priority.HIGH, "d"));
        assertEquals(JobState.SUSPENDED, created.state());
        assertEquals(Priority.HIGH, created.priority());
        assertEquals(ME, created.owner());
        String prefix = created.id().substring(0, 8);

        JobInfo added = client.addFile(prefix, "http://127.0.0.1:1/a", "/tmp/a");
        assertEquals(List.of("http://127.0.0.1:1/a"), added.files().stream().map(FileInfo::remoteUrl).toList());
        assertEquals(added, client.job(prefix));
        assertEquals(JobState.QUEUED, client.resume(prefix).state());
        assertEquals(JobState.SUSPENDED, client.suspend(prefix).state());

        JobInfo changed = client.change(prefix, JobChanges.none().withPriority(Priority.LOW).withName("renamed")
                .withMinRetryDelay(Duration.ofSeconds(5)).withNoProgressTimeout(Duration.ofMinutes(10)));
        assertEquals(Priority.LOW, changed.priority());
        assertEquals("renamed", changed.name());
        assertEquals(Duration.ofSeconds(5), changed.minRetryDelay());
        assertEquals(Duration.ofMinutes(10), changed.noProgressTimeout());

        assertEquals("http://127.0.0.1:1/b", client.setRemoteUrl(prefix, 0, "http://127.0.0.1:1/b").files().get(0)
                .remoteUrl());
        assertEquals(List.of(created.id()), client.jobs(false).stream().map(JobInfo::id).toList());
        JobInfo summary = client.jobSummaries(false).getFirst();
        assertEquals(List.of(), summary.files(), "a summary leaves the file list out");
        assertEquals(client.job(prefix).withoutFiles(), summary);
        assertEquals(1, summary.filesTotal());
        assertEquals(JobState.ACKNOWLEDGED, client.complete(prefix).state());
        assertEquals(List.of(), client.jobs(false));
        assertEquals(1, client.jobs(true).size());

        JobInfo other = client.create(NewJob.download("other"));
        assertEquals(JobState.CANCELLED, client.cancel(other.id()).state());
    }

    /**
     * files=false on a route that answers a job or jobs: the counts without the file list, for a caller that keeps
     * the list itself (the transfer command with thousands of files); the same client without it still reads them.
     */
    @Test
    void aClientWithoutFilesGetsEveryJobItIsAnsweredWithOnlyTheCounts() throws Exception {
        ServiceClient lean = client.withoutFiles();
        JobInfo started = lean.startDownload(NewJob.download("many"), List.of(
                new NewFile("http://127.0.0.1:1/a", "/tmp/a"), new NewFile("http://127.0.0.1:1/b", "/tmp/b")));
        assertEquals(List.of(), started.files());
        assertEquals(2, started.filesTotal());
        assertEquals(2, client.job(started.id()).files().size(), "the client it was made from reads the files");
        assertEquals(client.job(started.id()).withoutFiles(), lean.job(started.id()));
        assertEquals(List.of(), lean.resume(started.id()).files());

        JobInfo other = client.addFile(client.create(NewJob.download("other")).id(), "http://127.0.0.1:1/c", "/tmp/c");
        List<JobInfo> both = lean.completeAll(List.of(started.id(), other.id()));
        assertEquals(List.of(JobState.ACKNOWLEDGED, JobState.ACKNOWLEDGED), both.stream().map(JobInfo::state).toList());
        assertEquals(List.of(2, 1), both.stream().map(JobInfo::filesTotal).toList());
        assertTrue(both.stream().allMatch(j -> j.files().isEmpty()), both.toString());

        JsonNode shown = json(send("GET", "/v1/jobs/" + other.id() + "?files=false", null));
        assertEquals(0, shown.get("files").size());
        assertEquals(1, shown.get("filesTotal").asInt());
        assertEquals(1, json(send("GET", "/v1/jobs/" + other.id() + "?files=true", null)).get("files").size());
    }

    /** The parameter is read before the endpoint acts: a query that is no valid encoding changes nothing. */
    @Test
    void aBadQueryOnAnActionIsRefusedBeforeItActs() throws Exception {
        JobInfo job = client.addFile(client.create(NewJob.download("kept")).id(), "http://127.0.0.1:1/a", "/tmp/a");
        String answer = rawExchange("POST /v1/jobs/" + job.id() + "/cancel?files=%zz HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Length: 0\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        assertEquals(JobState.SUSPENDED, client.job(job.id()).state());
    }

    @Test
    void jobListIsStreamedWithTheSchemaAndValuesOfTheWholeArray() throws Exception {
        JobInfo a = client.addFile(client.create(NewJob.download("a")).id(), "http://127.0.0.1:1/a", "/tmp/a ü");
        client.addFile(a.id(), "http://127.0.0.1:1/b", "/tmp/b");
        JobInfo b = client.addFile(client.create(NewJob.download("b \"quoted\"\nline")).id(), "http://127.0.0.1:1/c",
                "/tmp/c");
        jobs.put(new JobInfo(b.id(), b.name(), b.description(), b.type(), JobState.ERROR, b.priority(), b.owner(), 10,
                5, 1, 0, b.created(), b.modified(), null, b.minRetryDelay(), b.noProgressTimeout(), 1,
                new JobError(BitsCodes.forHttpStatus(404), ErrorContext.REMOTE_FILE, "Not Found", 404, 0, false), 0,
                b.files()));
        client.create(NewJob.download("no files"));

        for (String query : List.of("", "?all=true", "?files=false", "?all=true&files=false")) {
            List<JobInfo> expected = query.contains("files=false") ? jobs.jobSummaries(query.contains("all"))
                    : jobs.jobs(query.contains("all"));
            ContentResponse r = send("GET", "/v1/jobs" + query, null);
            assertEquals(200, r.getStatus());
            assertEquals("application/json", r.getHeaders().get("Content-Type"));
            // What the route wrote before it streamed, byte for byte, once the line breaks between jobs are gone.
            assertEquals(Json.mapper().writeValueAsString(expected), r.getContentAsString().replace("\n", ""), query);
            assertEquals(expected.size() + 2, r.getContentAsString().lines().count(), "a line per job: " + query);
        }
        assertEquals(jobs.jobs(false), client.jobs(false));
        assertEquals(jobs.jobSummaries(true), client.jobSummaries(true));
        assertEquals(2, client.jobs(false).getFirst().files().size());
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        client.copyJobList(false, false, copied);
        assertEquals(send("GET", "/v1/jobs?files=false", null).getContentAsString(),
                copied.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aLongJobListArrivesWholeInBothForms() throws Exception {
        int count = 5_000;
        for (int i = 0; i < count; i++) {
            jobs.create(NewJob.download("job " + i));
        }
        List<String> ids = jobs.jobs(false).stream().map(JobInfo::id).toList();
        List<String> streamed = new java.util.ArrayList<>();
        client.forEachJob(false, true, j -> streamed.add(j.id()));
        assertEquals(ids, streamed);
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        client.copyJobList(true, false, copied);
        JsonNode all = Json.mapper().readTree(copied.toByteArray());
        assertEquals(count, all.size());
        assertEquals(ids.getLast(), all.get(count - 1).get("id").asText());
    }

    @Test
    void httpSettingsGoThroughTheirEndpoints() throws Exception {
        String id = client.create(NewJob.download("h")).id();
        JobInfo j = client.setProxy(id, io.jbits.api.ProxyUsage.OVERRIDE, List.of("p:3128"), List.of("<local>"));
        assertEquals("override", j.options().get("proxy.usage"));
        assertEquals("p:3128", j.options().get("proxy.list"));
        j = client.setHttpHeaders(id, List.of("X-A: 1", "X-B: 2"));
        assertEquals("X-A: 1\r\nX-B: 2", j.options().get("http.headers"));
        j = client.setRedirects(id, io.jbits.api.Redirects.DENY, false);
        assertEquals("deny", j.options().get("http.redirects"));
        j = client.setTls(id, new io.jbits.api.TlsOptions("/etc/ca.pem", null, null, List.of("expired")));
        assertEquals("/etc/ca.pem", j.options().get("tls.ca-file"));
        ContentResponse bad = send("PUT", "/v1/jobs/" + id + "/redirects", "{\"policy\":\"sometimes\"}");
        assertEquals(400, bad.getStatus());
        assertTrue(bad.getContentAsString().contains("sometimes"), bad.getContentAsString());
    }

    @Test
    void jobWithErrorReadsBackEqual() {
        JobInfo j = client.addFile(client.create(NewJob.download("e")).id(), "http://127.0.0.1:1/x", "/tmp/x");
        JobInfo failed = new JobInfo(j.id(), j.name(), j.description(), j.type(), JobState.ERROR, j.priority(),
                j.owner(), 10, 5, 1, 0, j.created(), j.modified(), null, j.minRetryDelay(), j.noProgressTimeout(), 1,
                new JobError(BitsCodes.forHttpStatus(404), ErrorContext.REMOTE_FILE, "Not Found", 404, 0, false),
                0, j.files());
        jobs.put(failed);
        assertEquals(failed, client.job(j.id()));
    }

    @Test
    void refusalsComeBackWithTheirBitsCodeAndHttpStatus() throws Exception {
        var notFound = assertThrows(JbitsException.class, () -> client.job("nope"));
        assertEquals(BitsCodes.BG_E_NOT_FOUND, notFound.code());
        ContentResponse r404 = send("GET", "/v1/jobs/nope", null);
        assertEquals(404, r404.getStatus());
        assertEquals("0x80200001", json(r404).get("code").asText());
        assertEquals("BG_E_NOT_FOUND", json(r404).get("symbol").asText());

        String id = client.create(NewJob.download("x")).id();
        client.cancel(id);
        ContentResponse r409 = send("POST", "/v1/jobs/" + id + "/resume", null);
        assertEquals(409, r409.getStatus());
        assertEquals("BG_E_INVALID_STATE", json(r409).get("symbol").asText());
        assertEquals(BitsCodes.BG_E_INVALID_STATE, assertThrows(JbitsException.class, () -> client.resume(id)).code());

        String empty = client.create(NewJob.download("empty")).id();
        ContentResponse r400 = send("POST", "/v1/jobs/" + empty + "/resume", null);
        assertEquals(400, r400.getStatus());
        assertEquals("0x80200003", json(r400).get("code").asText());
        assertEquals(BitsCodes.BG_E_EMPTY, assertThrows(JbitsException.class, () -> client.resume(empty)).code());
    }

    @Test
    void badBodiesAreRefusedWithAClearMessage() throws Exception {
        ContentResponse malformed = send("POST", "/v1/jobs", "{\"name\": ");
        assertEquals(400, malformed.getStatus());
        assertTrue(json(malformed).get("message").asText().startsWith("malformed JSON"), malformed.getContentAsString());

        ContentResponse unknown = send("POST", "/v1/jobs", "{\"name\":\"a\",\"colour\":\"red\"}");
        assertEquals(400, unknown.getStatus());
        assertTrue(json(unknown).get("message").asText().contains("colour"), unknown.getContentAsString());

        ContentResponse badPriority = send("POST", "/v1/jobs", "{\"name\":\"a\",\"priority\":\"urgent\"}");
        assertEquals(400, badPriority.getStatus());
        assertTrue(json(badPriority).get("message").asText().contains("urgent"), badPriority.getContentAsString());

        ContentResponse noName = send("POST", "/v1/jobs", "{\"priority\":\"low\"}");
        assertEquals(400, noName.getStatus());
        assertTrue(json(noName).get("message").asText().contains("name"), noName.getContentAsString());

        // A declared length over the limit is refused before the body is read.
        String tooLarge = rawExchange("POST /v1/jobs HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + (ApiHandler.MAX_BODY_BYTES + 1)
                + "\r\n\r\n{\"name\":\"");
        assertTrue(tooLarge.startsWith("HTTP/1.1 413"), tooLarge);
        assertTrue(tooLarge.contains("BG_E_TOO_LARGE"), tooLarge);
        assertEquals(404, send("DELETE", "/v1/jobs", null).getStatus());
    }

    @Test
    void aDownloadIsMadeWithItsFilesAndQueuedInOneCall() throws Exception {
        JobInfo started = client.startDownload(new NewJob("set", io.jbits.api.JobType.DOWNLOAD, Priority.HIGH, "d"),
                List.of(new NewFile("http://127.0.0.1:1/a", "/tmp/a"),
                        new NewFile("http://127.0.0.1:1/b", "/tmp/b ü")));
        assertEquals(JobState.QUEUED, started.state());
        assertEquals(Priority.HIGH, started.priority());
        assertEquals(List.of("/tmp/a", "/tmp/b ü"), started.files().stream().map(FileInfo::localPath).toList());
        assertEquals(started, client.job(started.id()));

        ContentResponse r = send("POST", "/v1/download-jobs",
                "{\"name\":\"n\",\"files\":[{\"remoteUrl\":\"http://h/x\",\"localPath\":\"/tmp/x\"}]}");
        assertEquals(201, r.getStatus(), r.getContentAsString());
        assertEquals("normal", json(r).get("priority").asText());
        assertEquals("QUEUED", json(r).get("state").asText());
        int before = client.jobs(true).size();
        for (String bad : List.of("{\"name\":\"n\"}", "{\"name\":\"n\",\"files\":[]}",
                "{\"name\":\"n\",\"files\":[null]}",
                "{\"name\":\"n\",\"files\":[{\"remoteUrl\":\"http://h/x\"}]}",
                "{\"files\":[{\"remoteUrl\":\"http://h/x\",\"localPath\":\"/tmp/x\"}]}",
                "{\"name\":\"n\",\"type\":\"upload\",\"files\":[{\"remoteUrl\":\"http://h/x\",\"localPath\":\"/x\"}]}")) {
            ContentResponse refused = send("POST", "/v1/download-jobs", bad);
            assertEquals(400, refused.getStatus(), bad + " -> " + refused.getContentAsString());
            assertEquals("0x80070057", json(refused).get("code").asText(), bad);
        }
        assertEquals(before, client.jobs(true).size(), "a refused request makes no job");
    }

    @Test
    void createAnswers201WithTheJob() throws Exception {
        ContentResponse r = send("POST", "/v1/jobs", "{\"name\":\"n\",\"type\":\"download\",\"priority\":\"low\"}");
        assertEquals(201, r.getStatus());
        assertEquals("application/json", r.getMediaType());
        JsonNode job = json(r);
        assertEquals("low", job.get("priority").asText());
        assertEquals("SUSPENDED", job.get("state").asText());
        assertEquals("", job.get("description").asText());
    }

    @Test
    void stopAnswersThenAsksTheDaemonToStop() throws Exception {
        client.stopService();
        assertTrue(stopRequested.await(10, TimeUnit.SECONDS));
    }

    @Test
    void callersOfAnotherUserAreRefusedEverything() throws Exception {
        Path otherHome = Files.createDirectory(home.resolve("other"));
        try (ApiServer other = ApiServer.start(new ApiConfig(jobs, otherHome.resolve("jbits.sock"),
                "not-" + ME, otherHome, () -> { }))) {
            var r = raw.newRequest("http://localhost/v1/jobs").transport(new Transport.TCPUnix(other.socket()))
                    .timeout(10, TimeUnit.SECONDS).send();
            assertEquals(403, r.getStatus());
            assertEquals("0x80070005", json(r).get("code").asText());
            assertEquals("E_ACCESSDENIED", json(r).get("symbol").asText());
            var e = assertThrows(JbitsException.class, () -> ServiceClient.connect(other.socket()).close());
            assertEquals(BitsCodes.E_ACCESSDENIED, e.code());
            assertTrue(e.getMessage().contains("may not use"), e.getMessage());
        }
    }
}
