package io.jbits.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.FileInfo;
import io.jbits.api.JobError;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.Priority;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

    static JobInfo sampleJob(JobError error) {
        return new JobInfo("6f1c2f0e-9d7a-4a57-9a0e-0c1d2e3f4a5b", "nightly", "the nightly images", JobType.DOWNLOAD,
                error == null ? JobState.TRANSFERRING : JobState.ERROR, Priority.FOREGROUND, "alice",
                3_000_000L, 1_234_567L, 2, 1,
                Instant.parse("2025-01-02T03:04:05.123456789Z"), Instant.parse("2025-01-02T03:05:00Z"),
                error == null ? Instant.parse("2025-01-02T03:06:00Z") : null,
                Duration.ofSeconds(600), Duration.ofMillis(1_209_600_500L), 3, error, 98_765L,
                List.of(new FileInfo(0, "http://127.0.0.1:8080/a.iso", "/tmp/a.iso", 1_000_000L, 1_000_000L, true),
                        new FileInfo(1, "http://127.0.0.1:8080/b.iso", "/tmp/b ü.iso", FileInfo.SIZE_UNKNOWN, 234_567L,
                                false)));
    }

    private static JobInfo roundTrip(JobInfo job) throws Exception {
        String text = Json.mapper().writeValueAsString(job);
        return Json.mapper().readValue(text, JobInfo.class);
    }

    @Test
    void jobWithoutErrorSurvivesARoundTrip() throws Exception {
        JobInfo job = sampleJob(null);
        assertEquals(job, roundTrip(job));
    }

    @Test
    void jobWithAnErrorSurvivesARoundTrip() throws Exception {
        JobInfo job = sampleJob(JobError.http(404, "Not Found: http://127.0.0.1:8080/b.iso", 1));
        assertEquals(job, roundTrip(job));
        JobInfo transientOne = sampleJob(new JobError(BitsCodes.BG_E_CONNECTION_CLOSED,
                ErrorContext.GENERAL_TRANSPORT, "connection reset", null, null, true));
        assertEquals(transientOne, roundTrip(transientOne));
    }

    @Test
    void jobJsonUsesTheDocumentedShapes() throws Exception {
        JobInfo job = sampleJob(JobError.http(404, "Not Found", 1));
        JsonNode n = Json.mapper().readTree(Json.mapper().writeValueAsString(job));
        assertEquals("download", n.get("type").asText());
        assertEquals("ERROR", n.get("state").asText());
        assertEquals("foreground", n.get("priority").asText());
        assertEquals("2025-01-02T03:04:05.123456789Z", n.get("created").asText());
        assertTrue(n.get("transferCompleted").isNull());
        assertEquals(600, n.get("minRetryDelay").asLong());
        assertEquals(1_209_600.5, n.get("noProgressTimeout").asDouble());
        JsonNode error = n.get("error");
        assertEquals("0x80190194", error.get("code").asText());
        assertEquals("HTTP_404", error.get("symbol").asText());
        assertEquals("REMOTE_FILE", error.get("context").asText());
        assertEquals(404, error.get("httpStatus").asInt());
        assertEquals(1, error.get("fileIndex").asInt());
        assertEquals(false, error.get("transient").asBoolean());
        JsonNode file = n.get("files").get(1);
        assertEquals(-1, file.get("bytesTotal").asLong());
        assertEquals(false, file.get("completed").asBoolean());
        assertTrue(n.get("replyFile").isNull(), "no reply for a download job");
        assertTrue(n.get("options").isObject() && n.get("options").isEmpty(), "no options: " + n);
        assertTrue(n.get("heldBack").isNull(), "nothing holds it back");
        assertEquals(25, n.size(), "fields: " + n);
    }

    @Test
    void thePolicyCarriesTheGovernorsViewOnlyWhenThereIsOne() throws Exception {
        Json.Policy plain = new Json.Policy("off", "off", "off", "", "off", "", "/state/bandwidth.conf", null);
        JsonNode n = Json.mapper().readTree(Json.mapper().writeValueAsString(plain));
        assertTrue(n.get("fileError").isNull());
        assertTrue(!n.has("governor"), "no governor, no field: " + n);
        assertEquals(plain, Json.mapper().readValue(n.toString(), Json.Policy.class));

        Json.Policy governed = new Json.Policy("off", "off", "off", "", "16 KiB/s", "competing traffic 16.0 Mbit/s",
                "/state/bandwidth.conf", null, new Json.Governor(2_000_000, 85, 60, 16_384,
                "competing traffic 16.0 Mbit/s"));
        JsonNode g = Json.mapper().readTree(Json.mapper().writeValueAsString(governed)).get("governor");
        assertEquals(2_000_000, g.get("competingBytesPerSecond").asLong());
        assertEquals(85, g.get("queuingDelayMillis").asLong());
        assertEquals(60, g.get("targetMillis").asLong());
        assertEquals(16_384, g.get("allowedBytesPerSecond").asLong());
        assertEquals("competing traffic 16.0 Mbit/s", g.get("reason").asText());
        assertEquals(governed, Json.mapper().readValue(Json.mapper().writeValueAsString(governed),
                Json.Policy.class));
    }

    @Test
    void changeBodyReadsSecondsAndLowerCasePriority() throws Exception {
        Json.Change c = Json.mapper().readValue(
                "{\"priority\":\"high\",\"minRetryDelay\":5,\"noProgressTimeout\":0.25}", Json.Change.class);
        assertEquals(Priority.HIGH, c.priority());
        assertEquals(Duration.ofSeconds(5), c.minRetryDelay());
        assertEquals(Duration.ofMillis(250), c.noProgressTimeout());
    }

    @Test
    void unknownFieldsAndBadValuesAreRefusedWithTheirName() {
        var unknown = assertThrows(MismatchedInputException.class,
                () -> Json.mapper().readValue("{\"remoteUrl\":\"x\",\"bogus\":1}", Json.RemoteUrl.class));
        assertTrue(unknown.getMessage().contains("bogus"), unknown.getMessage());
        var badPriority = assertThrows(Exception.class,
                () -> Json.mapper().readValue("{\"priority\":\"urgent\"}", Json.Change.class));
        assertTrue(badPriority.getMessage().contains("urgent"), badPriority.getMessage());
        var badDuration = assertThrows(Exception.class,
                () -> Json.mapper().readValue("{\"minRetryDelay\":\"10m\"}", Json.Change.class));
        assertTrue(badDuration.getMessage().contains("number of seconds"), badDuration.getMessage());
    }

    @Test
    void errorBodyCarriesHexCodeAndSymbol() throws Exception {
        String text = Json.mapper().writeValueAsString(Json.Error.of(BitsCodes.BG_E_NOT_FOUND, "no job 'x'"));
        assertEquals("{\"code\":\"0x80200001\",\"symbol\":\"BG_E_NOT_FOUND\",\"message\":\"no job 'x'\"}", text);
    }

    @Test
    void aPrettyOrCompactJobIsTheMappersJob() throws Exception {
        JobInfo j = sampleJob(null);
        JobInfo everything = new JobInfo(j.id(), "tab\tquote\" \u2028 é", j.description(), JobType.UPLOAD_REPLY,
                JobState.TRANSIENT_ERROR, Priority.LOW, j.owner(), j.bytesTotal(), j.bytesTransferred(),
                j.filesTotal(), j.filesTransferred(), j.created(), j.modified(), null, Duration.ofNanos(1),
                Duration.ZERO, 7, JobError.http(503, "busy", 0), Long.MAX_VALUE, j.files(), "/tmp/reply", -1, 0,
                java.util.Map.of("rate.max", 1024, "proxy.usage", "override", "tls.ignore", true),
                "rate cap of 1 KiB/s");
        for (JobInfo job : List.of(j, sampleJob(JobError.http(404, "Not Found", 1)), j.withoutFiles(), everything)) {
            assertEquals(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(job), Json.prettyJob(job));
            assertEquals(Json.mapper().writeValueAsString(job), Json.compactJob(job));
        }
    }

    @Test
    void streamedJobListIsTheArrayMapperWritesOneJobPerLine() throws Exception {
        JobInfo j = sampleJob(null);
        JobInfo everything = new JobInfo(j.id(), "tab\tquote\" \u2028 é", j.description(), JobType.UPLOAD_REPLY,
                JobState.TRANSIENT_ERROR, Priority.LOW, j.owner(), j.bytesTotal(), j.bytesTransferred(),
                j.filesTotal(), j.filesTransferred(), j.created(), j.modified(), null, Duration.ofNanos(1),
                Duration.ZERO, 7, JobError.http(503, "busy", 0), Long.MAX_VALUE, j.files(), "/tmp/reply", -1, 0,
                java.util.Map.of("rate.max", 1024, "proxy.usage", "override", "tls.ignore", true),
                "rate cap of 1 KiB/s");
        List<JobInfo> jobs = List.of(sampleJob(null), sampleJob(JobError.http(404, "Not Found", 1)),
                sampleJob(null).withoutFiles(), everything);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Json.writeJobList(jobs, out);
        String text = out.toString(StandardCharsets.UTF_8);

        // JSON strings hold no raw line breaks: without the ones between jobs, these are the old answer's bytes.
        assertEquals(Json.mapper().writeValueAsString(jobs), text.replace("\n", ""), "same values, same schema");
        List<String> lines = text.lines().toList();
        assertEquals(jobs.size() + 2, lines.size(), text);
        assertEquals("[", lines.getFirst());
        assertEquals("]", lines.getLast());
        for (int i = 0; i < jobs.size(); i++) {
            String line = lines.get(i + 1);
            String job = i < jobs.size() - 1 ? line.substring(0, line.length() - 1) : line;
            assertEquals(jobs.get(i), Json.mapper().readValue(job, JobInfo.class), "line " + (i + 1));
        }
    }

    @Test
    void streamedJobListReadsBackJobByJob() throws Exception {
        List<JobInfo> jobs = List.of(sampleJob(null), sampleJob(JobError.http(404, "Not Found", 1)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Json.writeJobList(jobs, out);
        List<JobInfo> read = new ArrayList<>();
        Json.readJobList(new ByteArrayInputStream(out.toByteArray()), read::add);
        assertEquals(jobs, read);

        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        Json.writeJobList(List.of(), empty);
        assertEquals("[\n]\n", empty.toString(StandardCharsets.UTF_8));
        read.clear();
        Json.readJobList(new ByteArrayInputStream(empty.toByteArray()), read::add);
        assertEquals(List.of(), read);
    }

    @Test
    void truncatedOrForeignJobListsAreRefused() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Json.writeJobList(List.of(sampleJob(null), sampleJob(null)), out);
        byte[] whole = out.toByteArray();
        for (String bad : List.of(new String(whole, 0, whole.length - 3, StandardCharsets.UTF_8), "{}", "[1]",
                "[]x", "")) {
            assertThrows(IOException.class,
                    () -> Json.readJobList(new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8)), j -> { }),
                    bad);
        }
    }

    @Test
    void timesAreWrittenAsInstantToStringWritesThem() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(12);
        List<java.time.Instant> times = new ArrayList<>(List.of(java.time.Instant.EPOCH,
                java.time.Instant.parse("0000-01-01T00:00:00Z"), java.time.Instant.parse("9999-12-31T23:59:59.999999999Z"),
                java.time.Instant.parse("+10000-01-01T00:00:00Z"), java.time.Instant.parse("-0001-12-31T23:59:59Z"),
                java.time.Instant.parse("2024-02-29T12:00:00.100Z"), java.time.Instant.parse("2026-12-06T15:05:17.000001Z")));
        for (int i = 0; i < 20_000; i++) {
            int nano = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            times.add(java.time.Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L), nano));
        }
        for (java.time.Instant t : times) {
            assertEquals(t.toString(), Json.time(t));
        }
    }
}
