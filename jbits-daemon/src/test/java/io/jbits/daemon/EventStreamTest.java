package io.jbits.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jbits.api.JobEvent;
import io.jbits.api.JobInfo;
import io.jbits.api.JobListener;
import io.jbits.api.NewJob;
import io.jbits.client.ServiceClient;
import io.jbits.rest.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.io.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/events}: server-sent events and JSON lines, filtered by job, resumed from a position. */
class EventStreamTest {
    private static final String ME = System.getProperty("user.name");
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path home;
    private final MemoryJobs jobs = new MemoryJobs(ME);
    private ApiServer server;
    private ServiceClient client;
    private HttpClient raw;
    private final List<AutoCloseable> streams = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = ApiServer.start(new ApiConfig(jobs, home.resolve("jbits.sock"), ME, home, new CountDownLatch(1)::countDown));
        client = ServiceClient.connect(server.socket());
        raw = new HttpClient();
        raw.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable s : streams) {
            s.close();
        }
        raw.stop();
        client.close();
        server.close();
    }

    /** Opens a stream and returns its status and a reader of its body. */
    private record Stream(int status, String contentType, BufferedReader lines) {
    }

    private Stream open(String pathAndQuery, Map<String, String> headers) throws Exception {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        raw.newRequest("http://localhost" + pathAndQuery).transport(new Transport.TCPUnix(server.socket()))
                .headers(h -> headers.forEach(h::put)).send(listener);
        Response r = listener.get(10, TimeUnit.SECONDS);
        var in = listener.getInputStream();
        streams.add(in);
        return new Stream(r.getStatus(), r.getHeaders().get("Content-Type"),
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    }

    /** The next server-sent event: its id, event name and data. */
    private static String[] nextEvent(BufferedReader lines) throws Exception {
        String id = null;
        String name = null;
        String data = null;
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.startsWith("id: ")) {
                id = line.substring(4);
            } else if (line.startsWith("event: ")) {
                name = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data = line.substring(6);
            } else if (line.isEmpty() && data != null) {
                return new String[] {id, name, data};
            }
        }
        throw new AssertionError("stream ended");
    }

    private JobInfo jobWithFile(String name) {
        JobInfo j = client.create(NewJob.download(name));
        return client.addFile(j.id(), "http://127.0.0.1:1/" + name, "/tmp/" + name);
    }

    @Test
    void serverSentEventsCarryPositionKindAndEventAndResumeAfterLastEventId() throws Exception {
        JobInfo job = jobWithFile("sse");
        Stream s = open("/v1/events", Map.of());
        assertEquals(200, s.status());
        assertEquals("text/event-stream", s.contentType());
        client.resume(job.id());
        client.suspend(job.id());
        assertTimeoutPreemptively(LIMIT, () -> {
            String[] queued = nextEvent(s.lines());
            String[] suspended = nextEvent(s.lines());
            assertEquals("modified", queued[1]);
            JsonNode q = Json.mapper().readTree(queued[2]);
            assertEquals(job.id(), q.path("jobId").asText());
            assertEquals("QUEUED", q.path("state").asText());
            assertEquals(Long.parseLong(queued[0]), q.path("id").asLong());
            assertTrue(Long.parseLong(suspended[0]) > Long.parseLong(queued[0]));
            // A reader that saw the first event reconnects: it gets the second one first.
            Stream again = open("/v1/events", Map.of("Last-Event-ID", queued[0]));
            String[] resumed = nextEvent(again.lines());
            assertEquals(suspended[0], resumed[0]);
            assertEquals("SUSPENDED", Json.mapper().readTree(resumed[2]).path("state").asText());
        });
    }

    @Test
    void jsonLinesFromAnOldPositionHoldOnlyTheJobAskedFor() throws Exception {
        JobInfo mine = jobWithFile("mine");
        JobInfo other = jobWithFile("other");
        client.resume(other.id());
        client.resume(mine.id());
        client.cancel(mine.id());
        Stream s = open("/v1/events?job=" + mine.id().substring(0, 8) + "&after=0&format=jsonl", Map.of());
        assertEquals("application/x-ndjson", s.contentType());
        assertTimeoutPreemptively(LIMIT, () -> {
            List<String> states = new ArrayList<>();
            while (states.size() < 3) {
                String line = s.lines().readLine();
                if (line.isBlank()) {
                    continue;
                }
                Json.StreamEvent e = Json.mapper().readValue(line, Json.StreamEvent.class);
                assertEquals(mine.id(), e.jobId());
                states.add(e.state().name());
            }
            assertEquals(List.of("SUSPENDED", "QUEUED", "CANCELLED"), states); // add, resume, cancel
        });
    }

    @Test
    void kindsLeaveOutTheOtherKindsOnTheWireAndForAClientListener() throws Exception {
        JobInfo job = jobWithFile("kinds");
        Stream s = open("/v1/events?job=" + job.id() + "&kinds=modified,transferred,error&format=jsonl", Map.of());
        assertEquals(200, s.status());
        BlockingQueue<JobEvent> heard =
                new LinkedBlockingQueue<>();
        try (var ignored = client.addListener(job.id(), Duration.ZERO, JobListener.of(
                EnumSet.of(JobEvent.Kind.MODIFIED), heard::add))) {
            for (int i = 0; i < 50; i++) {
                jobs.fileTransferred(job.id(), i);
            }
            client.resume(job.id());
            assertTimeoutPreemptively(LIMIT, () -> {
                String line;
                do {
                    line = s.lines().readLine();
                } while (line.isBlank());
                Json.StreamEvent first = Json.mapper().readValue(line, Json.StreamEvent.class);
                assertEquals(JobEvent.Kind.MODIFIED, first.kind());
                assertEquals("QUEUED", first.state().name());
                JobEvent e = heard.poll(10, TimeUnit.SECONDS);
                assertEquals(JobEvent.Kind.MODIFIED, e.kind());
                assertEquals("QUEUED", e.state().name());
            });
        }
        // The same stream without a filter carries the per-file events.
        Stream all = open("/v1/events?job=" + job.id() + "&format=jsonl", Map.of());
        jobs.fileTransferred(job.id(), 7);
        assertTimeoutPreemptively(LIMIT, () -> {
            String line;
            do {
                line = all.lines().readLine();
            } while (line.isBlank());
            Json.StreamEvent e = Json.mapper().readValue(line, Json.StreamEvent.class);
            assertEquals(JobEvent.Kind.FILE_TRANSFERRED, e.kind());
            assertEquals(7, e.fileIndex());
        });
    }

    @Test
    void anUnknownKindIsA400() throws Exception {
        Stream s = open("/v1/events?kinds=modified,nonsense", Map.of());
        assertEquals(400, s.status());
        assertTrue(s.lines().readLine().contains("nonsense"));
    }

    @Test
    void anUnknownJobIsA404BeforeAnyStream() throws Exception {
        Stream s = open("/v1/events?job=ffffffff", Map.of());
        assertEquals(404, s.status());
        assertTrue(s.lines().readLine().contains("BG_E_NOT_FOUND"));
    }
}
