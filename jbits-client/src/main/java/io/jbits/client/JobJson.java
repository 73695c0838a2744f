package io.jbits.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import io.jbits.api.FileInfo;
import io.jbits.api.JobEvent;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.Priority;
import io.jbits.rest.Json;
import io.jbits.rest.ServiceStatus;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads a job ({@code GET /v1/jobs/{id}} and every answer that is one job), the list of jobs, an event of
 * {@code GET /v1/events} and the service's status with Gson's streaming reader, field by field, as the service
 * writes them.
 *
 * <p>Why Gson's reader and not jackson-core's parser, which the rest of the project uses: jackson-core's parsers
 * share a base class whose constants are {@code BigDecimal}s, and since JDK 25 {@code BigDecimal}'s static set-up
 * squares 5 up to 5^65536, 13 ms of interpreted arithmetic in each command's fresh JVM (no class-data cache keeps
 * a class's initialised state). Gson's reader touches no big numbers; read there, {@code jbits info} reads its job
 * in well under a millisecond. Numbers are taken by their text, so a fraction or an exponent is never rounded here.
 *
 * <p>Why not the shared mapper: Jackson's data binding builds a record's deserializer by reflection at first use,
 * and on a command's short-lived JVM that cost more CPU than the rest of {@code jbits info}. This reader handles
 * the common layout only: no error, no options, every field of the expected JSON type. Anything else (an error
 * object, options, an unknown field, a null where a number goes, a malformed document) is handed, whole, to the
 * mapper, whose verdict (a value or the same exception) is then the answer. So both always agree; the tests hold
 * them to the same values.
 */
final class JobJson {
    /** How many fields the service writes: of a job ({@link JobInfo}'s components), a file, an event. */
    private static final int JOB_FIELDS = 25;
    private static final int FILE_FIELDS = 6;
    private static final int EVENT_FIELDS = 14;
    private static final int STATUS_FIELDS = 5;
    private static final int ERROR_FIELDS = 3;

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

    /**
     * A refusal's body, as {@code Json.mapper().readValue(content, Json.Error.class)} reads it: a refused command
     * reads only this, and the mapper's first use cost it half a second (540 classes no start-up cache holds).
     */
    static Json.Error error(byte[] content) throws IOException {
        return read(content, JobJson::error, Json.Error.class);
    }

    /** Reads one JSON object's fields, from just inside it; null if unusual. */
    @FunctionalInterface
    private interface ObjectReader<T> {
        T read(JsonReader r) throws IOException;
    }

    /**
     * One object read by {@code reader} alone; anything it does not take (an error object, an unknown or missing
     * field, trailing content) is read whole by the shared mapper, so both always agree.
     */
    private static <T> T read(byte[] content, ObjectReader<T> reader, Class<T> type) throws IOException {
        T value = quick(content, reader);
        return value != null ? value : Json.mapper().readValue(content, type);
    }

    /** The object as {@code reader} reads it, or null when it leaves the document to the mapper. */
    private static <T> T quick(byte[] content, ObjectReader<T> reader) {
        try (JsonReader r = reader(new StringReader(new String(content, StandardCharsets.UTF_8)))) {
            if (r.peek() == JsonToken.BEGIN_OBJECT) {
                r.beginObject();
                T value = reader.read(r);
                if (value != null) {
                    r.endObject();
                    if (r.peek() == JsonToken.END_DOCUMENT) {
                        return value;
                    }
                }
            }
        } catch (IOException | RuntimeException unusual) {
            // the mapper's
        }
        return null;
    }

    /** A job as this reader alone reads it (null: the mapper's); for tests, which hold the two to one value. */
    static JobInfo quickJob(byte[] content) {
        return quick(content, JobJson::job);
    }

    /** An event as this reader alone reads it (null: the mapper's). */
    static Json.StreamEvent quickEvent(String line) {
        return quick(line.getBytes(StandardCharsets.UTF_8), JobJson::event);
    }

    /** A refusal's body as this reader alone reads it (null: the mapper's). */
    static Json.Error quickError(byte[] content) {
        return quick(content, JobJson::error);
    }

    /** The service's status as this reader alone reads it (null: the mapper's). */
    static ServiceStatus quickStatus(byte[] content) {
        return quick(content, JobJson::status);
    }

    /** A reader of RFC 8259 JSON only: whatever it would take beyond that is the mapper's to judge. */
    private static JsonReader reader(Reader in) {
        JsonReader r = new JsonReader(in);
        r.setStrictness(Strictness.STRICT);
        return r;
    }

    /**
     * Reads a JSON array of jobs ({@code GET /v1/jobs}) as a stream and hands each job to an action, as
     * {@link Json#readJobList} does: each element is copied out and read as {@link #job(byte[])}.
     *
     * @throws IOException when the input is not a complete array of jobs
     */
    static void jobList(InputStream in, Consumer<JobInfo> action) throws IOException {
        try (JsonReader r = reader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            if (r.peek() != JsonToken.BEGIN_ARRAY) {
                throw new IOException("a list of jobs must be a JSON array");
            }
            r.beginArray();
            ByteArrayOutputStream element = new ByteArrayOutputStream(1024);
            while (r.hasNext()) {
                JsonToken t = r.peek();
                if (t != JsonToken.BEGIN_OBJECT) {
                    throw new IOException("not a job: " + t);
                }
                element.reset();
                try (JsonGenerator w = WRITER.createGenerator(element)) {
                    copy(r, w);
                }
                action.accept(job(element.toByteArray()));
            }
            r.endArray();
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new IOException("trailing data after the list of jobs");
            }
        } catch (EOFException e) {
            throw new IOException("the list of jobs ends early", e);
        } catch (MalformedJsonException | IllegalStateException e) {
            throw new IOException("not a list of jobs: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a list's elements out again for {@link #job(byte[])}: jackson-core's generator, as Gson's writer sets
     * up {@code java.util.Formatter} as it loads (a few ms of every {@code jbits list}).
     */
    private static final JsonFactory WRITER = new JsonFactory();

    /** Copies the value at the reader to the generator, as it was written (numbers by their text). */
    private static void copy(JsonReader r, JsonGenerator w) throws IOException {
        switch (r.peek()) {
            case BEGIN_ARRAY -> {
                r.beginArray();
                w.writeStartArray();
                while (r.hasNext()) {
                    copy(r, w);
                }
                r.endArray();
                w.writeEndArray();
            }
            case BEGIN_OBJECT -> {
                r.beginObject();
                w.writeStartObject();
                while (r.hasNext()) {
                    w.writeFieldName(r.nextName());
                    copy(r, w);
                }
                r.endObject();
                w.writeEndObject();
            }
            case STRING -> w.writeString(r.nextString());
            case NUMBER -> w.writeNumber(r.nextString());
            case BOOLEAN -> w.writeBoolean(r.nextBoolean());
            case NULL -> {
                r.nextNull();
                w.writeNull();
            }
            default -> throw new IOException("not a JSON value: " + r.peek());
        }
    }

    private static ServiceStatus status(JsonReader r) throws IOException {
        Map<String, Object> f = flat(r, STATUS_FIELDS);
        if (f == null || !(f.get("pid") instanceof Long pid) || !(f.get("jobs") instanceof Long jobs)
                || !texts(f, "version", "owner", "home")) {
            return null;
        }
        return new ServiceStatus((String) f.get("version"), pid, (String) f.get("owner"), (String) f.get("home"),
                Math.toIntExact(jobs));
    }

    private static Json.Error error(JsonReader r) throws IOException {
        Map<String, Object> f = flat(r, ERROR_FIELDS);
        if (f == null || !texts(f, "code", "symbol", "message")) {
            return null;
        }
        return new Json.Error((String) f.get("code"), (String) f.get("symbol"), (String) f.get("message"));
    }

    /**
     * The fields of an object of strings, nulls and whole numbers (as {@code Long}), each once: null when a field
     * comes twice or the count is not {@code count}; any other value is a layout for the mapper.
     */
    private static Map<String, Object> flat(JsonReader r, int count) throws IOException {
        Map<String, Object> fields = new HashMap<>();
        while (r.hasNext()) {
            String field = r.nextName();
            JsonToken t = r.peek();
            if (fields.containsKey(field)) {
                return null;
            }
            fields.put(field, t == JsonToken.NUMBER ? Long.valueOf(number(r, t)) : text(r, t));
        }
        return fields.size() == count ? fields : null;
    }

    /** True when each of these fields is there as a string or a null. */
    private static boolean texts(Map<String, Object> fields, String... names) {
        for (String name : names) {
            if (!fields.containsKey(name) || fields.get(name) != null && !(fields.get(name) instanceof String)) {
                return false;
            }
        }
        return true;
    }

    /** The job whose fields come next, or null for a layout this reader leaves to the mapper. */
    private static JobInfo job(JsonReader r) throws IOException {
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
        while (r.hasNext()) {
            String field = r.nextName();
            JsonToken t = r.peek();
            if (!seen.add(field)) {
                return null; // a field twice: the mapper's
            }
            switch (field) {
                case "id" -> id = text(r, t);
                case "name" -> name = text(r, t);
                case "description" -> description = text(r, t);
                case "type" -> type = named(r, t, JobType::parse);
                case "state" -> state = named(r, t, JobState::valueOf);
                case "priority" -> priority = named(r, t, Priority::parse);
                case "owner" -> owner = text(r, t);
                case "bytesTotal" -> bytesTotal = number(r, t);
                case "bytesTransferred" -> bytesTransferred = number(r, t);
                case "filesTotal" -> filesTotal = Math.toIntExact(number(r, t));
                case "filesTransferred" -> filesTransferred = Math.toIntExact(number(r, t));
                case "created" -> created = instant(r, t);
                case "modified" -> modified = instant(r, t);
                case "transferCompleted" -> transferCompleted = instant(r, t);
                case "minRetryDelay" -> minRetryDelay = seconds(r, t);
                case "noProgressTimeout" -> noProgressTimeout = seconds(r, t);
                case "errorCount" -> errorCount = Math.toIntExact(number(r, t));
                case "error" -> {
                    if (t != JsonToken.NULL) {
                        return null; // an error object: the mapper's
                    }
                    r.nextNull();
                }
                case "heldBack" -> heldBack = text(r, t);
                case "bytesPerSecond" -> bytesPerSecond = number(r, t);
                case "files" -> {
                    files = files(r, t);
                    if (files == null) {
                        return null;
                    }
                }
                case "replyFile" -> replyFile = text(r, t);
                case "replyBytesTotal" -> replyBytesTotal = number(r, t);
                case "replyBytesTransferred" -> replyBytesTransferred = number(r, t);
                case "options" -> {
                    if (t != JsonToken.BEGIN_OBJECT) {
                        return null;
                    }
                    r.beginObject();
                    if (r.hasNext()) {
                        return null; // options: the mapper's
                    }
                    r.endObject();
                }
                default -> {
                    return null; // a field this reader does not know: the mapper refuses it or knows it
                }
            }
        }
        if (seen.size() != JOB_FIELDS) {
            return null; // a field missing: the mapper's
        }
        return new JobInfo(id, name, description, type, state, priority, owner, bytesTotal, bytesTransferred,
                filesTotal, filesTransferred, created, modified, transferCompleted, minRetryDelay, noProgressTimeout,
                errorCount, null, bytesPerSecond, files, replyFile, replyBytesTotal, replyBytesTransferred, Map.of(),
                heldBack);
    }

    private static List<FileInfo> files(JsonReader r, JsonToken t) throws IOException {
        if (t != JsonToken.BEGIN_ARRAY) {
            return null;
        }
        r.beginArray();
        List<FileInfo> files = new ArrayList<>();
        while (r.hasNext()) {
            if (r.peek() != JsonToken.BEGIN_OBJECT) {
                return null;
            }
            r.beginObject();
            int index = 0;
            String remoteUrl = null;
            String localPath = null;
            long bytesTotal = 0;
            long bytesTransferred = 0;
            boolean completed = false;
            Set<String> seen = new HashSet<>();
            while (r.hasNext()) {
                String field = r.nextName();
                JsonToken v = r.peek();
                if (!seen.add(field)) {
                    return null;
                }
                switch (field) {
                    case "index" -> index = Math.toIntExact(number(r, v));
                    case "remoteUrl" -> remoteUrl = text(r, v);
                    case "localPath" -> localPath = text(r, v);
                    case "bytesTotal" -> bytesTotal = number(r, v);
                    case "bytesTransferred" -> bytesTransferred = number(r, v);
                    case "completed" -> {
                        if (v != JsonToken.BOOLEAN) {
                            return null;
                        }
                        completed = r.nextBoolean();
                    }
                    default -> {
                        return null;
                    }
                }
            }
            if (seen.size() != FILE_FIELDS) {
                return null;
            }
            r.endObject();
            files.add(new FileInfo(index, remoteUrl, localPath, bytesTotal, bytesTransferred, completed));
        }
        r.endArray();
        return files;
    }

    /** The event whose fields come next, or null for a layout this reader leaves to the mapper. */
    private static Json.StreamEvent event(JsonReader r) throws IOException {
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
        while (r.hasNext()) {
            String field = r.nextName();
            JsonToken t = r.peek();
            if (!seen.add(field)) {
                return null;
            }
            switch (field) {
                case "id" -> id = number(r, t);
                case "kind" -> kind = named(r, t, JobEvent.Kind::parse);
                case "jobId" -> jobId = text(r, t);
                case "seq" -> seq = number(r, t);
                case "time" -> time = instant(r, t);
                case "change" -> change = named(r, t, JobEvent.Change::valueOf);
                case "state" -> state = named(r, t, JobState::valueOf);
                case "bytesTotal" -> bytesTotal = number(r, t);
                case "bytesTransferred" -> bytesTransferred = number(r, t);
                case "filesTotal" -> filesTotal = Math.toIntExact(number(r, t));
                case "filesTransferred" -> filesTransferred = Math.toIntExact(number(r, t));
                case "error" -> {
                    if (t != JsonToken.NULL) {
                        return null;
                    }
                    r.nextNull();
                }
                case "fileIndex" -> fileIndex = Math.toIntExact(number(r, t));
                case "bytesPerSecond" -> bytesPerSecond = number(r, t);
                default -> {
                    return null;
                }
            }
        }
        if (seen.size() != EVENT_FIELDS) {
            return null;
        }
        return new Json.StreamEvent(id, kind, jobId, seq, time, change, state, bytesTotal, bytesTransferred,
                filesTotal, filesTransferred, null, fileIndex, bytesPerSecond);
    }

    /** A string or null; anything else is a layout for the mapper. */
    private static String text(JsonReader r, JsonToken t) throws IOException {
        if (t == JsonToken.NULL) {
            r.nextNull();
            return null;
        }
        if (t != JsonToken.STRING) {
            throw new Unusual();
        }
        return r.nextString();
    }

    /** A name read as {@code parse} reads it, or null. */
    private static <T> T named(JsonReader r, JsonToken t, Function<String, T> parse) throws IOException {
        String name = text(r, t);
        return name == null ? null : parse.apply(name);
    }

    /**
     * A whole number, by its text, where a primitive goes; a null (refused by the mapper), a fraction or an exponent
     * is the mapper's.
     */
    private static long number(JsonReader r, JsonToken t) throws IOException {
        if (t != JsonToken.NUMBER) {
            throw new Unusual();
        }
        return Long.parseLong(r.nextString());
    }

    private static Instant instant(JsonReader r, JsonToken t) throws IOException {
        String text = text(r, t);
        return text == null ? null : instant(text);
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
    private static Duration seconds(JsonReader r, JsonToken t) throws IOException {
        if (t == JsonToken.NULL) {
            r.nextNull();
            return null;
        }
        return Duration.ofSeconds(number(r, t));
    }

    /** A value this reader leaves to the mapper; cheap, with no stack trace. */
    private static final class Unusual extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unusual() {
            super(null, null, false, false);
        }
    }
}
