package io.jbits.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.FileInfo;
import io.jbits.api.JobError;
import io.jbits.api.JobEvent;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.Priority;
import io.jbits.rest.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client's own JSON reader and writers agree with the shared mapper, value for value and byte for byte. */
class JobJsonTest {

    private static JobInfo job(JobError error, Duration noProgressTimeout, Map<String, Object> options,
                               String heldBack, List<FileInfo> files) {
        return new JobInfo("6f1c2f0e-9d7a-4a57-9a0e-0c1d2e3f4a5b", "nightly \"images\" é\u2028", "", JobType.UPLOAD_REPLY,
                error == null ? JobState.TRANSFERRING : JobState.ERROR, Priority.FOREGROUND, "alice",
                3_000_000L, 1_234_567L, 2, 1,
                Instant.parse("2025-01-02T03:04:05.123456789Z"), Instant.parse("2025-01-02T03:05:00Z"),
                error == null ? Instant.parse("2025-01-02T03:06:00Z") : null,
                Duration.ofSeconds(600), noProgressTimeout, 3, error, 98_765L, files, "/tmp/reply",
                -1, 0, options, heldBack);
    }

    private static final List<FileInfo> FILES = List.of(
            new FileInfo(0, "http://127.0.0.1:8080/a.iso", "/tmp/a.iso", 1_000_000L, 1_000_000L, true),
            new FileInfo(1, "http://127.0.0.1:8080/b.iso", "/tmp/b ü.iso", FileInfo.SIZE_UNKNOWN, 234_567L, false));

    private static void readsAsTheMapper(JobInfo job) throws Exception {
        byte[] bytes = Json.mapper().writeValueAsBytes(job);
        JobInfo fast = JobJson.job(bytes);
        assertEquals(Json.mapper().readValue(bytes, JobInfo.class), fast);
        assertEquals(job, fast);
    }

    @Test
    void readsTheCommonJobAsTheMapperDoes() throws Exception {
        for (JobInfo job : List.of(job(null, Duration.ofSeconds(1_209_600), Map.of(), null, FILES),
                job(null, null, Map.of(), "the rate cap", List.of()))) {
            readsAsTheMapper(job);
            // the quick reader itself takes the service's common layout: a command never builds the mapper for it
            assertEquals(job, JobJson.quickJob(Json.mapper().writeValueAsBytes(job)));
        }
    }

    @Test
    void theQuickReaderLeavesEverythingUnusualToTheMapper() throws Exception {
        String good = Json.mapper().writeValueAsString(job(null, Duration.ofSeconds(60), Map.of(), null, FILES));
        for (String odd : List.of(good.replace("\"errorCount\":3", "\"errorCount\":3.0"),
                good.replace("\"errorCount\":3", "\"errorCount\":3e0"),
                good.replace("\"errorCount\":3", "\"errorCount\":\"3\""),
                good.replace("\"bytesTotal\":-1", "\"bytesTotal\":99999999999999999999"),
                good.replace("\"completed\":true", "\"completed\":1"),
                good.replace("\"options\":{}", "\"options\":{\"rate.max\":1}"),
                good.replace("\"error\":null", "\"error\":{}"),
                good.replace("\"name\"", "\"owner\":\"twice\",\"name\""),
                good.replace("\"heldBack\":null", "\"heldBack\":null,\"extra\":1"),
                good.replace("\"heldBack\":null,", "").replace(",\"heldBack\":null", ""),
                good + " {}", good + " x", "[" + good + "]", good.replace("{\"id\"", "{'id'"),
                good.replace("\"name\":\"", "\"name\":\"\\u00"), "")) {
            assertEquals(null, JobJson.quickJob(odd.getBytes(StandardCharsets.UTF_8)), odd);
        }
    }

    @Test
    void leavesErrorsOptionsAndFractionsToTheMapper() throws Exception {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("rate.max", 4096);
        options.put("notify.on", List.of("transferred"));
        readsAsTheMapper(job(null, Duration.ofSeconds(60), options, null, FILES));
        readsAsTheMapper(job(JobError.http(404, "Not Found", 1), Duration.ofSeconds(60), Map.of(), null, FILES));
        readsAsTheMapper(job(null, Duration.ofMillis(1_209_600_500L), Map.of(), null, FILES));
    }

    @Test
    void refusesWhatTheMapperRefuses() throws Exception {
        String good = Json.mapper().writeValueAsString(job(null, Duration.ofSeconds(60), Map.of(), null, FILES));
        byte[] unknown = good.replace("\"owner\"", "\"ownr\"").getBytes(StandardCharsets.UTF_8);
        assertThrows(UnrecognizedPropertyException.class, () -> Json.mapper().readValue(unknown, JobInfo.class));
        assertThrows(UnrecognizedPropertyException.class, () -> JobJson.job(unknown));
        byte[] nullCount = good.replace("\"errorCount\":3", "\"errorCount\":null").getBytes(StandardCharsets.UTF_8);
        assertThrows(MismatchedInputException.class, () -> Json.mapper().readValue(nullCount, JobInfo.class));
        assertThrows(MismatchedInputException.class, () -> JobJson.job(nullCount));
        byte[] trailing = (good + " {}").getBytes(StandardCharsets.UTF_8);
        assertThrows(MismatchedInputException.class, () -> JobJson.job(trailing));
        byte[] badState = good.replace("\"TRANSFERRING\"", "\"RUNNING\"").getBytes(StandardCharsets.UTF_8);
        assertThrows(com.fasterxml.jackson.databind.exc.InvalidFormatException.class, () -> JobJson.job(badState));
    }

    @Test
    void readsEventsAsTheMapperDoes() throws Exception {
        JobEvent plain = new JobEvent(JobEvent.Kind.FILE_TRANSFERRED, "6f1c2f0e", 7,
                Instant.parse("2026-12-06T08:57:21.358104920Z"), JobEvent.Change.FILES, JobState.TRANSFERRING,
                16_384, 16_384, 1, 1, null, 0, 5_000);
        JobEvent failed = new JobEvent(JobEvent.Kind.ERROR, "6f1c2f0e", 8, Instant.parse("2026-12-06T08:57:22Z"),
                JobEvent.Change.STATE, JobState.ERROR, -1, 0, 1, 0, new JobError(BitsCodes.BG_E_CONNECTION_CLOSED,
                ErrorContext.GENERAL_TRANSPORT, "connection reset", null, null, true), -1, 0);
        String last = null;
        for (JobEvent e : List.of(plain, failed)) {
            String line = Json.mapper().writeValueAsString(Json.StreamEvent.of(1_796_547_441_360_000L, e));
            Json.StreamEvent fast = JobJson.event(line);
            assertEquals(Json.mapper().readValue(line, Json.StreamEvent.class), fast);
            assertEquals(e.error() == null ? fast : null, JobJson.quickEvent(line), line); // errors: the mapper's
            assertEquals(e, fast.event());
            assertEquals(1_796_547_441_360_000L, fast.id());
            last = line;
        }
        String surprise = last.replace("\"seq\"", "\"surprise\":true,\"seq\"");
        assertThrows(UnrecognizedPropertyException.class, () -> JobJson.event(surprise));
        String missing = last.replace("\"seq\":8,", "");
        assertThrows(MismatchedInputException.class, () -> JobJson.event(missing));
    }

    @Test
    void readsARefusalAsTheMapperDoes() throws Exception {
        for (Json.Error error : List.of(Json.Error.of(io.jbits.api.BitsCodes.BG_E_NOT_FOUND, "no job x"),
                Json.Error.of(io.jbits.api.BitsCodes.E_INVALIDARG, "a \"quoted\" \u00e9 line\n"),
                new Json.Error("0x80200001", "BG_E_NOT_FOUND", null))) {
            byte[] bytes = Json.mapper().writeValueAsBytes(error);
            assertEquals(error, JobJson.quickError(bytes));
            assertEquals(error, JobJson.error(bytes));
        }
        // A layout the quick reader leaves to the mapper: the mapper's value, or its refusal
        byte[] partial = "{\"code\":\"0x80070057\",\"message\":\"bad\"}".getBytes(StandardCharsets.UTF_8);
        assertNull(JobJson.quickError(partial));
        assertEquals(new Json.Error("0x80070057", null, "bad"), JobJson.error(partial));
        byte[] extra = "{\"code\":\"0x1\",\"symbol\":\"S\",\"message\":\"m\",\"more\":1}"
                .getBytes(StandardCharsets.UTF_8);
        assertNull(JobJson.quickError(extra));
        Class<? extends Throwable> refusal = assertThrows(MismatchedInputException.class,
                () -> Json.mapper().readValue(extra, Json.Error.class)).getClass();
        assertEquals(refusal, assertThrows(MismatchedInputException.class, () -> JobJson.error(extra)).getClass());
        assertNull(JobJson.quickError("{\"code\":1,\"symbol\":\"S\",\"message\":\"m\"}"
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsTheStatusAndTheListAsTheMapperDoes() throws Exception {
        var status = new io.jbits.rest.ServiceStatus("0.1.0", 4242, "alice", "/home/alice/.local/state/jbits", 3);
        byte[] bytes = Json.mapper().writeValueAsBytes(status);
        assertEquals(status, JobJson.status(bytes));
        assertEquals(status, JobJson.quickStatus(bytes));
        byte[] odd = Json.mapper().writeValueAsString(status).replace("\"jobs\"", "\"jbs\"")
                .getBytes(StandardCharsets.UTF_8);
        Class<? extends Throwable> refusal = assertThrows(MismatchedInputException.class,
                () -> Json.mapper().readValue(odd, io.jbits.rest.ServiceStatus.class)).getClass();
        assertEquals(refusal, assertThrows(MismatchedInputException.class, () -> JobJson.status(odd)).getClass());

        Map<String, Object> options = new LinkedHashMap<>();
        options.put("rate.max", 4096);
        List<JobInfo> jobs = List.of(job(null, Duration.ofSeconds(60), Map.of(), null, FILES),
                job(JobError.http(404, "Not Found", 1), Duration.ofMillis(1_500), options, "held", List.of()),
                job(null, null, Map.of(), null, List.of()));
        java.io.ByteArrayOutputStream list = new java.io.ByteArrayOutputStream();
        Json.writeJobList(jobs, list);
        List<JobInfo> read = new java.util.ArrayList<>();
        JobJson.jobList(new java.io.ByteArrayInputStream(list.toByteArray()), read::add);
        assertEquals(jobs, read);
        for (String broken : List.of("{}", "[", "[{\"id\":\"x\"}]", "[] []")) {
            assertThrows(java.io.IOException.class, () -> JobJson.jobList(
                    new java.io.ByteArrayInputStream(broken.getBytes(StandardCharsets.UTF_8)), read::add), broken);
        }
    }

    @Test
    void writesRequestsAsTheMapperDoes() throws Exception {
        var create = new Json.CreateJob("transfer \"a\" é", "download", "foreground", "");
        assertArrayEquals(Json.mapper().writeValueAsBytes(create), RequestJson.createJob(create));
        var nulls = new Json.CreateJob("n", null, null, null);
        assertArrayEquals(Json.mapper().writeValueAsBytes(nulls), RequestJson.createJob(nulls));
        var add = new Json.AddFile("http://127.0.0.1/a?b=c&d", "/tmp/a b\tc");
        assertArrayEquals(Json.mapper().writeValueAsBytes(add), RequestJson.addFile(add));
        var set = new Json.FileSet(List.of(add, new Json.AddFile("http://h/x", "/y")));
        assertArrayEquals(Json.mapper().writeValueAsBytes(set), RequestJson.fileSet(set));
        var download = new Json.NewDownload("transfer x", "normal", "", set.files());
        assertArrayEquals(Json.mapper().writeValueAsBytes(download), RequestJson.newDownload(download));
        for (Json.Change change : List.of(new Json.Change("n", null, Priority.HIGH, Duration.ofSeconds(600), null),
                new Json.Change(null, "tab\t\"é", null, null, Duration.ofDays(14)),
                new Json.Change(null, null, Priority.FOREGROUND, Duration.ofMillis(1_500), Duration.ofSeconds(1)),
                new Json.Change(null, null, null, null, null))) {
            assertArrayEquals(Json.mapper().writeValueAsBytes(change), RequestJson.change(change), change.toString());
        }
        var uploads = new Json.UploadBatch(List.of(
                new Json.NewUpload("upload u1", "upload", "high", "", "http://h/u?1", "/tmp/u 1"),
                new Json.NewUpload("r \"é\"", null, null, null, "http://h/r", "/r")));
        assertArrayEquals(Json.mapper().writeValueAsBytes(uploads), RequestJson.uploadBatch(uploads));
        var none = new Json.UploadBatch(null);
        assertArrayEquals(Json.mapper().writeValueAsBytes(none), RequestJson.uploadBatch(none));
        var ids = new Json.JobIds(List.of("a", "b\"c"));
        assertArrayEquals(Json.mapper().writeValueAsBytes(ids), RequestJson.jobIds(ids));
        assertArrayEquals(Json.mapper().writeValueAsBytes(new Json.JobIds(null)), RequestJson.jobIds(new Json.JobIds(null)));
        var bare = new Json.NewDownload("n", null, null, null);
        assertArrayEquals(Json.mapper().writeValueAsBytes(bare), RequestJson.newDownload(bare));
    }

    @Test
    void timesReadAsInstantParseReadsThem() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(61);
        List<String> texts = new java.util.ArrayList<>(List.of("2026-12-06T15:05:17.641028110Z",
                "2026-12-06T15:05:17Z", "2026-12-06T15:05:17.6Z", "2024-02-29T00:00:00Z", "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999999Z", "2026-12-06t15:05:17z", "2026-12-06T15:05:17+01:00",
                "2026-12-06T15:05:60Z", "2026-12-06T24:00:00Z", "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-00-01T00:00:00Z", "2026-12-00T00:00:00Z", "2026-12-06T15:05:17.Z", "2026-12-06T15:05Z",
                "2026-12-06T15:05:17.1234567890Z", "+12026-12-06T15:05:17Z", "2026-12-06 15:05:17Z",
                "2026-1a-06T15:05:17Z", "", "Z"));
        for (int year : new int[] {0, 1, 4, 99, 100, 400, 1600, 1700, 1900, 1969, 1970, 2000, 2024, 2100, 9999}) {
            for (String day : new String[] {"-02-28", "-02-29", "-03-01", "-12-31", "-01-01", "-04-31", "-06-30"}) {
                texts.add(String.format("%04d%sT12:00:00Z", year, day));
            }
        }
        for (int i = 0; i < 20_000; i++) {
            texts.add(Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000)).toString());
        }
        for (String text : texts) {
            Instant expected;
            try {
                expected = Instant.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                assertThrows(java.time.format.DateTimeParseException.class, () -> JobJson.instant(text), text);
                continue;
            }
            assertEquals(expected, JobJson.instant(text), text);
        }
    }
}
