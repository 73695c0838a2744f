package io.jbits.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.jbits.api.FileInfo;
import io.jbits.api.JobEvent;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.Priority;
import io.jbits.rest.Json;
import io.jbits.rest.ServiceStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a job ({@code GET /v1/jobs/{id}} and every answer that is one job), the list of jobs, an event of
 * {@code GET /v1/events} and the service's status with jackson-core's streaming parser, field by field, as the
 * service writes them.
 *
 * <p>Why not the shared mapper: Jackson's data binding builds a record's deserializer by reflection at first use,
 * and on a command's short-lived JVM that cost more CPU than the rest of {@code jbits info}. This reader handles
 * the common layout only: no error, no options, every field of the expected JSON type. Anything else (an error
 * object, options, an unknown field, a null where a number goes, a malformed document) is handed, whole, to the
 * mapper, whose verdict (a value or the same exception) is then the answer. So both always agree; the tests hold
 * them to the same values.
 */
final class JobJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    /** How many fields the service writes: of a job ({@link JobInfo}'s components), a file, an event. */
    private static final int JOB_FIELDS = 25;
    private static final int FILE_FIELDS = 6;
    private static final int EVENT_FIELDS = 14;
    private static final int STATUS_FIELDS = 5;

    private JobJson() {
    }

    /** One job, as {@code Json.mapper().readValue(content, JobInfo.class)} reads it. */
    static JobInfo job(byte[] content) throws IOException {
        return read(content, JobJson::job, JobInfo.class);
    }

    /** One line of the event stream, as {@code Json.mapper().readValue(line, Json.StreamEvent.class)} reads it. */
    static Json.StreamEvent event(String line) throws IOException {
        return read(line.getBytes(StandardCharsets.UTF_8), JobJson::event, Json.StreamEvent.class);
    }

    /** The service's status, as {@code Json.mapper().readValue(content, ServiceStatus.class)} reads it. */
    static ServiceStatus status(byte[] content) throws IOException {
        return read(content, JobJson::status, ServiceStatus.class);
    }

    /** Reads one JSON object's fields with jackson-core, from the parser at the object's start; null if unusual. */
    @FunctionalInterface
    private interface ObjectReader<T> {
        T read(JsonParser p) throws IOException;
    }

    /**
     * One object read by {@code reader} alone; anything it does not take (an error object, an unknown or missing
     * field, trailing content) is read whole by the shared mapper, so both always agree.
     */
    private static <T> T read(byte[] content, ObjectReader<T> reader, Class<T> type) throws IOException {
        try (JsonParser p = FACTORY.createParser(content)) {
            T value = p.nextToken() == JsonToken.START_OBJECT ? reader.read(p) : null;
            if (value != null && p.nextToken() == null) {
                return value;
            }
        } catch (IOException | RuntimeException unusual) {
            // the mapper decides below
        }
        return Json.mapper().readValue(content, type);
    }

    /**
     * Reads a JSON array of jobs ({@code GET /v1/jobs}) as a stream and hands each job to an action, as
     * {@link Json#readJobList} does: each element is copied out (by jackson-core) and read as {@link #job(byte[])}.
     *
     * @throws IOException when the input is not a complete array of jobs
     */
    static void jobList(InputStream in, Consumer<JobInfo> action) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new JsonParseException(p, "a list of jobs must be a JSON array");
            }
            ByteArrayOutputStream element = new ByteArrayOutputStream(1024);
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                element.reset();
                try (JsonGenerator g = FACTORY.createGenerator(element)) {
                    g.copyCurrentStructure(p);
                }
                action.accept(job(element.toByteArray()));
            }
            if (t != JsonToken.END_ARRAY) {
                throw new JsonParseException(p, t == null ? "the list of jobs ends early" : "not a job: " + t);
            }
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "trailing data after the list of jobs");
            }
        }
    }

    private static ServiceStatus status(JsonParser p) throws IOException {
        String version = null;
        long pid = 0;
        String owner = null;
        String home = null;
        int jobs = 0;
        Set<String> seen = new HashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (!seen.add(field)) {
                return null;
            }
            switch (field) {
                case "version" -> version = text(p, t);
                case "pid" -> pid = number(p, t);
                case "owner" -> owner = text(p, t);
                case "home" -> home = text(p, t);
                case "jobs" -> jobs = Math.toIntExact(number(p, t));
                default -> {
                    return null;
                }
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT || seen.size() != STATUS_FIELDS) {
            return null;
        }
        return new ServiceStatus(version, pid, owner, home, jobs);
    }

    /** The job whose START_OBJECT is the current token, or null for a layout this reader leaves to the mapper. */
    private static JobInfo job(JsonParser p) throws IOException {
        String id = null;
        String name = null;
        String description = null;
        JobType type = null;
        JobState state = null;
        Priority priority = null;
        String owner = null;
        long bytesTotal = 0;
        long bytesTransferred = 0;
        int filesTotal = 0;
        int filesTransferred = 0;
        Instant created = null;
        Instant modified = null;
        Instant transferCompleted = null;
        Duration minRetryDelay = null;
        Duration noProgressTimeout = null;
        int errorCount = 0;
        long bytesPerSecond = 0;
        List<FileInfo> files = null;
        String replyFile = null;
        long replyBytesTotal = 0;
        long replyBytesTransferred = 0;
        String heldBack = null;
        Set<String> seen = new HashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (!seen.add(field)) {
                return null; // a field twice: the mapper's
            }
            switch (field) {
                case "id" -> id = text(p, t);
                case "name" -> name = text(p, t);
                case "description" -> description = text(p, t);
                case "type" -> type = t == JsonToken.VALUE_NULL ? null : JobType.parse(string(p, t));
                case "state" -> state = t == JsonToken.VALUE_NULL ? null : JobState.valueOf(string(p, t));
                case "priority" -> priority = t == JsonToken.VALUE_NULL ? null : Priority.parse(string(p, t));
                case "owner" -> owner = text(p, t);
                case "bytesTotal" -> bytesTotal = number(p, t);
                case "bytesTransferred" -> bytesTransferred = number(p, t);
                case "filesTotal" -> filesTotal = Math.toIntExact(number(p, t));
                case "filesTransferred" -> filesTransferred = Math.toIntExact(number(p, t));
                case "created" -> created = instant(p, t);
                case "modified" -> modified = instant(p, t);
                case "transferCompleted" -> transferCompleted = instant(p, t);
                case "minRetryDelay" -> minRetryDelay = seconds(p, t);
                case "noProgressTimeout" -> noProgressTimeout = seconds(p, t);
                case "errorCount" -> errorCount = Math.toIntExact(number(p, t));
                case "error" -> {
                    if (t != JsonToken.VALUE_NULL) {
                        return null; // an error object: the mapper's
                    }
                }
                case "heldBack" -> heldBack = text(p, t);
                case "bytesPerSecond" -> bytesPerSecond = number(p, t);
                case "files" -> {
                    files = files(p, t);
                    if (files == null) {
                        return null;
                    }
                }
                case "replyFile" -> replyFile = text(p, t);
                case "replyBytesTotal" -> replyBytesTotal = number(p, t);
                case "replyBytesTransferred" -> replyBytesTransferred = number(p, t);
                case "options" -> {
                    if (t != JsonToken.START_OBJECT || p.nextToken() != JsonToken.END_OBJECT) {
                        return null; // options: the mapper's
                    }
                }
                default -> {
                    return null; // a field this reader does not know: the mapper refuses it or knows it
                }
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT || seen.size() != JOB_FIELDS) {
            return null; // a field missing: the mapper's
        }
        return new JobInfo(id, name, description, type, state, priority, owner, bytesTotal, bytesTransferred,
                filesTotal, filesTransferred, created, modified, transferCompleted, minRetryDelay, noProgressTimeout,
                errorCount, null, bytesPerSecond, files, replyFile, replyBytesTotal, replyBytesTransferred, Map.of(),
                heldBack);
    }

    private static List<FileInfo> files(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            return null;
        }
        List<FileInfo> files = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            int index = 0;
            String remoteUrl = null;
            String localPath = null;
            long bytesTotal = 0;
            long bytesTransferred = 0;
            boolean completed = false;
            Set<String> seen = new HashSet<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (!seen.add(field)) {
                    return null;
                }
                switch (field) {
                    case "index" -> index = Math.toIntExact(number(p, v));
                    case "remoteUrl" -> remoteUrl = text(p, v);
                    case "localPath" -> localPath = text(p, v);
                    case "bytesTotal" -> bytesTotal = number(p, v);
                    case "bytesTransferred" -> bytesTransferred = number(p, v);
                    case "completed" -> {
                        if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
                            return null;
                        }
                        completed = v == JsonToken.VALUE_TRUE;
                    }
                    default -> {
                        return null;
                    }
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || seen.size() != FILE_FIELDS) {
                return null;
            }
            files.add(new FileInfo(index, remoteUrl, localPath, bytesTotal, bytesTransferred, completed));
        }
        return p.currentToken() == JsonToken.END_ARRAY ? files : null;
    }

    /** The event whose START_OBJECT is the current token, or null for a layout this reader leaves to the mapper. */
    private static Json.StreamEvent event(JsonParser p) throws IOException {
        long id = 0;
        JobEvent.Kind kind = null;
        String jobId = null;
        long seq = 0;
        Instant time = null;
        JobEvent.Change change = null;
        JobState state = null;
        long bytesTotal = 0;
        long bytesTransferred = 0;
        int filesTotal = 0;
        int filesTransferred = 0;
        int fileIndex = 0;
        long bytesPerSecond = 0;
        Set<String> seen = new HashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (!seen.add(field)) {
                return null;
            }
            switch (field) {
                case "id" -> id = number(p, t);
                case "kind" -> kind = t == JsonToken.VALUE_NULL ? null : JobEvent.Kind.parse(string(p, t));
                case "jobId" -> jobId = text(p, t);
                case "seq" -> seq = number(p, t);
                case "time" -> time = instant(p, t);
                case "change" -> change = t == JsonToken.VALUE_NULL ? null : JobEvent.Change.valueOf(string(p, t));
                case "state" -> state = t == JsonToken.VALUE_NULL ? null : JobState.valueOf(string(p, t));
                case "bytesTotal" -> bytesTotal = number(p, t);
                case "bytesTransferred" -> bytesTransferred = number(p, t);
                case "filesTotal" -> filesTotal = Math.toIntExact(number(p, t));
                case "filesTransferred" -> filesTransferred = Math.toIntExact(number(p, t));
                case "error" -> {
                    if (t != JsonToken.VALUE_NULL) {
                        return null;
                    }
                }
                case "fileIndex" -> fileIndex = Math.toIntExact(number(p, t));
                case "bytesPerSecond" -> bytesPerSecond = number(p, t);
                default -> {
                    return null;
                }
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT || seen.size() != EVENT_FIELDS) {
            return null;
        }
        return new Json.StreamEvent(id, kind, jobId, seq, time, change, state, bytesTotal, bytesTransferred,
                filesTotal, filesTransferred, null, fileIndex, bytesPerSecond);
    }

    /** A string or null; anything else is a layout for the mapper. */
    private static String text(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_NULL ? null : string(p, t);
    }

    private static String string(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw new Unusual();
        }
        return p.getText();
    }

    /** A whole number where a primitive goes; a null (refused by the mapper) or anything else is the mapper's. */
    private static long number(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw new Unusual();
        }
        return p.getLongValue();
    }

    private static Instant instant(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_NULL ? null : instant(string(p, t));
    }

    /**
     * A time as the service writes it ({@code Instant.toString()}: {@code 2026-12-06T15:05:17.641028110Z}, UTC, a
     * four-digit year, no fraction or 3, 6 or 9 digits of it), read without java.time's formatters, whose set-up is
     * a few ms of every short command; any other text is {@link Instant#parse}'s, value or refusal.
     */
    static Instant instant(String s) {
        int n = s.length();
        if (n >= 20 && n <= 30 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T'
                && s.charAt(13) == ':' && s.charAt(16) == ':' && s.charAt(n - 1) == 'Z'
                && (n == 20 || s.charAt(19) == '.' && n > 21)) {
            int year = digits(s, 0, 4);
            int month = digits(s, 5, 7);
            int day = digits(s, 8, 10);
            int hour = digits(s, 11, 13);
            int minute = digits(s, 14, 16);
            int second = digits(s, 17, 19);
            int nanos = n == 20 ? 0 : digits(s, 20, n - 1);
            for (int i = n; i < 30; i++) {
                nanos *= 10; // "641" is 641,000,000 ns
            }
            if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysOf(year, month) && hour >= 0
                    && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && nanos >= 0) {
                return Instant.ofEpochSecond(epochDay(year, month, day) * 86_400 + hour * 3_600L + minute * 60L
                        + second, nanos);
            }
        }
        return Instant.parse(s);
    }

    /**
     * The days of a month of the proleptic Gregorian calendar, as java.time counts them (its own leap-year test
     * would set up java.time's formatters: {@code Year} builds one as it loads).
     */
    private static int daysOf(int year, int month) {
        boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        return month == 2 ? (leap ? 29 : 28) : month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    /** The day's number counted from 1970-01-01, as {@code LocalDate.toEpochDay} counts it, for a year from 0. */
    private static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year; // March first: the leap day ends the counted year
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    /** The decimal number of {@code s[from, to)}, or -1 when a character is no ASCII digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Durations are whole seconds as the service writes them; a fraction is the mapper's. */
    private static Duration seconds(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_NULL ? null : Duration.ofSeconds(number(p, t));
    }

    /** A value this reader leaves to the mapper; cheap, with no stack trace. */
    private static final class Unusual extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unusual() {
            super(null, null, false, false);
        }
    }
}
