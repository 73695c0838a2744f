package io.jbits.client;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.api.JobEvent;
import io.jbits.api.FileInfo;
import io.jbits.api.JobInfo;
import io.jbits.api.JobType;
import io.jbits.api.Priority;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The JSON of the service's REST API, shared by both ends so they agree: one configured {@link ObjectMapper} and
 * the request and error bodies.
 *
 * <p>Job types and priorities are written in lower case as on the command line ({@code "download"},
 * {@code "foreground"}), states by their upper-case BITS names, times as ISO-8601 strings, durations as numbers of
 * seconds, and error codes as BITS prints them ({@code "0x80190194"}) beside their symbol. Unknown fields are
 * refused.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(jbitsModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /** The mapper both ends use; thread-safe, do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Builds what the first answer of a starting service needs, its status, both ways: Jackson makes a type's
     * serializer and deserializer at first use, about a tenth of a second on a cold JVM. Both ends call it while they
     * wait for something slower (the service for its jobs to load, the CLI for the service).
     */
    public static void prepare() {
        try {
            MAPPER.readValue(MAPPER.writeValueAsBytes(new ServiceStatus("", 0, "", "", 0)), ServiceStatus.class);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a status always survives a round trip
        }
    }

    /**
     * Writes jobs as the JSON array of {@code GET /v1/jobs}, one compact job per line between the brackets, as a
     * stream: each job goes out as it is written, never the whole array in memory. The stream is flushed, not
     * closed. {@code jbits list --json} prints these bytes as they come.
     */
    public static void writeJobList(Iterable<JobInfo> jobs, OutputStream out) throws IOException {
        ObjectWriter values = MAPPER.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(new LinePerElement());
            g.writeStartArray();
            for (JobInfo j : jobs) {
                writeJob(g, j, values);
            }
            g.writeEndArray();
            g.writeRaw('\n');
        }
    }

    /**
     * Reads a JSON array of jobs ({@code GET /v1/jobs}) as a stream, one job at a time, and hands each to an action.
     *
     * @throws IOException when the input is not a complete array of jobs
     */
    public static void readJobList(InputStream in, Consumer<JobInfo> action) throws IOException {
        ObjectReader reader = MAPPER.readerFor(JobInfo.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        try (JsonParser p = MAPPER.createParser(in)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new JsonParseException(p, "a list of jobs must be a JSON array");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                action.accept(reader.readValue(p));
            }
            if (t != JsonToken.END_ARRAY) {
                throw new JsonParseException(p, t == null ? "the list of jobs ends early" : "not a job: " + t);
            }
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "trailing data after the list of jobs");
            }
        }
    }

    /**
     * One job as the mapper writes it, field by field, its files too: a fifth of the mapper's time on a service that
     * has just started (little code to compile), for the 100,000 jobs of a list. The rarer parts (an error, options)
     * go through the mapper. {@code JsonTest} holds the two to the same bytes.
     */
    private static void writeJob(JsonGenerator g, JobInfo j, ObjectWriter values) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", j.id());
        g.writeStringField("name", j.name());
        g.writeStringField("description", j.description());
        g.writeStringField("type", j.type().label());
        g.writeStringField("state", j.state().name());
        g.writeStringField("priority", j.priority().label());
        g.writeStringField("owner", j.owner());
        g.writeNumberField("bytesTotal", j.bytesTotal());
        g.writeNumberField("bytesTransferred", j.bytesTransferred());
        g.writeNumberField("filesTotal", j.filesTotal());
        g.writeNumberField("filesTransferred", j.filesTransferred());
        writeInstant(g, "created", j.created());
        writeInstant(g, "modified", j.modified());
        writeInstant(g, "transferCompleted", j.transferCompleted());
        writeSeconds(g, "minRetryDelay", j.minRetryDelay());
        writeSeconds(g, "noProgressTimeout", j.noProgressTimeout());
        g.writeNumberField("errorCount", j.errorCount());
        g.writeFieldName("error");
        if (j.error() == null) {
            g.writeNull();
        } else {
            values.writeValue(g, j.error());
        }
        g.writeNumberField("bytesPerSecond", j.bytesPerSecond());
        g.writeFieldName("files");
        g.writeStartArray();
        for (FileInfo f : j.files()) {
            g.writeStartObject();
            g.writeNumberField("index", f.index());
            g.writeStringField("remoteUrl", f.remoteUrl());
            g.writeStringField("localPath", f.localPath());
            g.writeNumberField("bytesTotal", f.bytesTotal());
            g.writeNumberField("bytesTransferred", f.bytesTransferred());
            g.writeBooleanField("completed", f.completed());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("replyFile", j.replyFile());
        g.writeNumberField("replyBytesTotal", j.replyBytesTotal());
        g.writeNumberField("replyBytesTransferred", j.replyBytesTransferred());
        g.writeFieldName("options");
        if (j.options().isEmpty()) {
            g.writeStartObject();
            g.writeEndObject();
        } else {
            values.writeValue(g, j.options());
        }
        g.writeStringField("heldBack", j.heldBack());
        g.writeEndObject();
    }

    private static void writeInstant(JsonGenerator g, String field, Instant time) throws IOException {
        if (time == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, time.toString()); // ISO-8601, as the time module writes it
        }
    }

    private static final DurationSeconds SECONDS = new DurationSeconds();

    private static void writeSeconds(JsonGenerator g, String field, Duration d) throws IOException {
        g.writeFieldName(field);
        if (d == null) {
            g.writeNull();
        } else {
            SECONDS.serialize(d, g, null);
        }
    }

    /** The layout of {@link #writeJobList}: the outer array's elements on lines of their own, the rest compact. */
    private static final class LinePerElement extends MinimalPrettyPrinter {
        private static final long serialVersionUID = 1L;

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            if (outer(g)) {
                g.writeRaw('\n');
            }
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(outer(g) ? ",\n" : ",");
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            g.writeRaw(outer(g) ? "\n]" : "]");
        }

        private static boolean outer(JsonGenerator g) {
            return g.getOutputContext().getParent() != null && g.getOutputContext().getParent().inRoot();
        }
    }

    /** Body of {@code POST /v1/jobs}. Null type and priority mean download and normal. */
    public record CreateJob(String name, String type, String priority, String description) {
    }

    /** Body of {@code POST /v1/jobs/{id}/files}. */
    public record AddFile(String remoteUrl, String localPath) {
    }

    /**
     * Body of {@code PATCH /v1/jobs/{id}}: each non-null field replaces the job's value.
     *
     * @param minRetryDelay seconds
     * @param noProgressTimeout seconds
     */
    public record Change(String name, String description, Priority priority, Duration minRetryDelay,
                         Duration noProgressTimeout) {
    }

    /** Body of {@code PUT /v1/jobs/{id}/files/{index}/remote-url}. */
    public record RemoteUrl(String remoteUrl) {
    }

    /** The body of {@code POST /v1/jobs/{id}/file-set}: files added all or none. */
    public record FileSet(java.util.List<AddFile> files) {
    }

    /** The body of {@code PUT /v1/jobs/{id}/reply-file}. */
    public record ReplyFile(String localPath) {
    }

    /** The body of {@code PUT /v1/jobs/{id}/max-rate}: bytes per second, negative or null for no cap. */
    public record MaxRate(Long bytesPerSecond) {
    }

    /**
     * The body of {@code PATCH /v1/policy}: each non-null field replaces the policy's value.
     *
     * @param limit all jobs together: a RATE ({@code 4M}, {@code off}) or a TIMETABLE
     * @param backgroundLimit all background jobs together: a RATE or a TIMETABLE
     *     ({@code Mon-Fri 08:00,512k 18:00,off})
     */
    public record PolicyChange(String limit, String backgroundLimit) {
    }

    /**
     * The answer of {@code GET /v1/policy}: the bandwidth policy, where it is kept, and what is in force now.
     *
     * @param limit the limit of all jobs as written (RATE or TIMETABLE)
     * @param backgroundLimit the limit of background jobs as written
     * @param limitNow the limit of all jobs in force now (RATE text, {@code off} for none)
     * @param limitWhy why, for people ("limit 4 MiB/s (schedule 08:00-18:00)"), or ""
     * @param backgroundLimitNow the limit of background jobs in force now, after the scavenger
     * @param backgroundWhy why, or ""
     * @param file the policy file
     * @param fileError why the file as it is now cannot be used (the previous policy stays in force), or null
     */
    public record Policy(String limit, String backgroundLimit, String limitNow, String limitWhy,
                         String backgroundLimitNow, String backgroundWhy, String file, String fileError) {
    }

    /**
     * The body of {@code PUT /v1/jobs/{id}/credentials}: the only place a secret travels. Its {@code toString}
     * leaves the secret out.
     *
     * @param target {@code server} or {@code proxy}
     * @param scheme {@code basic}, {@code digest}, {@code ntlm} or {@code negotiate}
     */
    public record SetCredentials(String target, String scheme, String user, char[] secret) {
        @Override
        public String toString() {
            return "SetCredentials[" + target + " " + scheme + " " + user + "]";
        }
    }

    /** The body of {@code PUT /v1/jobs/{id}/proxy}: usage preconfig, none or override, and override's lists. */
    public record Proxy(String usage, java.util.List<String> proxies, java.util.List<String> bypass) {
    }

    /** The body of {@code PUT /v1/jobs/{id}/headers}: every custom header, {@code Name: value}; empty clears. */
    public record Headers(java.util.List<String> headers) {
    }

    /** The body of {@code PUT /v1/jobs/{id}/redirects}: allow, report or deny, and whether https→http is followed. */
    public record Redirects(String policy, Boolean allowHttpsToHttp) {
    }

    /** The answer of {@code GET /v1/jobs/{id}/reply}: the reply's bytes (base64 in JSON). */
    public record Reply(byte[] data) {
    }

    /** The body of {@code PUT /v1/jobs/{id}/notify}: a null command line clears it; {@code on} holds labels. */
    public record Notify(String commandLine, java.util.List<String> on) {
    }

    /**
     * One event of {@code GET /v1/events}: its position in the stream (the SSE id, also for {@code ?after=}) and
     * the {@link JobEvent}'s fields ({@code kind} as a label: transferred, error, modified, file-transferred).
     */
    public record StreamEvent(long id, JobEvent.Kind kind, String jobId, long seq, java.time.Instant time,
                              JobEvent.Change change, io.jbits.api.JobState state, long bytesTotal,
                              long bytesTransferred, int filesTotal, int filesTransferred, JobError error,
                              int fileIndex, long bytesPerSecond) {
        /** The stream's form of an event at a position. */
        public static StreamEvent of(long id, JobEvent e) {
            return new StreamEvent(id, e.kind(), e.jobId(), e.seq(), e.time(), e.change(), e.state(), e.bytesTotal(),
                    e.bytesTransferred(), e.filesTotal(), e.filesTransferred(), e.error(), e.fileIndex(),
                    e.bytesPerSecond());
        }

        /** The event without its position. */
        public JobEvent event() {
            return new JobEvent(kind, jobId, seq, time, change, state, bytesTotal, bytesTransferred, filesTotal,
                    filesTransferred, error, fileIndex, bytesPerSecond);
        }
    }

    /**
     * The body of every error response.
     *
     * @param code the BITS code in hex ({@code "0x80200001"})
     * @param symbol its name ({@code "BG_E_NOT_FOUND"})
     */
    public record Error(String code, String symbol, String message) {
        /** The error body for a BITS code. */
        public static Error of(int code, String message) {
            return new Error(BitsCodes.hex(code), BitsCodes.name(code), message);
        }
    }

    private static SimpleModule jbitsModule() {
        SimpleModule m = new SimpleModule("jbits");
        addLabelled(m, Priority.class, Priority::label, Priority::parse);
        addLabelled(m, JobType.class, JobType::label, JobType::parse);
        addLabelled(m, JobEvent.Kind.class, JobEvent.Kind::label, JobEvent.Kind::parse);
        m.addSerializer(Duration.class, new DurationSeconds());
        m.addDeserializer(Duration.class, new DurationFromSeconds());
        m.addSerializer(JobError.class, new ErrorWriter());
        m.addDeserializer(JobError.class, new ErrorReader());
        return m;
    }

    /** An enum written as its command-line label ("foreground", "upload-reply") and read back leniently. */
    private static <E extends Enum<E>> void addLabelled(SimpleModule m, Class<E> type,
                                                        java.util.function.Function<E, String> label,
                                                        java.util.function.Function<String, E> parse) {
        m.addSerializer(type, new JsonSerializer<E>() {
            @Override
            public void serialize(E value, JsonGenerator g, SerializerProvider s) throws IOException {
                g.writeString(label.apply(value));
            }
        });
        m.addDeserializer(type, new JsonDeserializer<E>() {
            @Override
            public E deserialize(JsonParser p, DeserializationContext c) throws IOException {
                try {
                    return parse.apply(p.getValueAsString());
                } catch (RuntimeException e) {
                    throw JsonMappingException.from(p, e.getMessage());
                }
            }
        });
    }

    /** Durations as seconds: a whole number when whole, else a decimal. */
    private static final class DurationSeconds extends JsonSerializer<Duration> {
        @Override
        public void serialize(Duration d, JsonGenerator g, SerializerProvider s) throws IOException {
            if (d.getNano() == 0) {
                g.writeNumber(d.getSeconds());
            } else {
                g.writeNumber(BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9))
                        .stripTrailingZeros());
            }
        }
    }

    private static final class DurationFromSeconds extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext c) throws IOException {
            if (!p.currentToken().isNumeric()) {
                throw JsonMappingException.from(p, "a duration must be a number of seconds, not '"
                        + p.getText() + "'");
            }
            BigDecimal seconds = p.getDecimalValue();
            try {
                long whole = seconds.setScale(0, RoundingMode.FLOOR).longValueExact();
                long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9)
                        .setScale(0, RoundingMode.HALF_UP).longValueExact();
                return Duration.ofSeconds(whole, nanos);
            } catch (ArithmeticException e) {
                throw JsonMappingException.from(p, "duration out of range: " + seconds + " seconds");
            }
        }
    }

    private static final class ErrorWriter extends JsonSerializer<JobError> {
        @Override
        public void serialize(JobError e, JsonGenerator g, SerializerProvider s) throws IOException {
            g.writeStartObject();
            g.writeStringField("code", BitsCodes.hex(e.code()));
            g.writeStringField("symbol", BitsCodes.name(e.code()));
            g.writeStringField("context", e.context().name());
            g.writeStringField("message", e.message());
            writeNullableInt(g, "httpStatus", e.httpStatus());
            writeNullableInt(g, "fileIndex", e.fileIndex());
            g.writeBooleanField("transient", e.transientError());
            g.writeEndObject();
        }

        private static void writeNullableInt(JsonGenerator g, String field, Integer value) throws IOException {
            if (value == null) {
                g.writeNullField(field);
            } else {
                g.writeNumberField(field, value);
            }
        }
    }

    private static final class ErrorReader extends JsonDeserializer<JobError> {
        private static final Set<String> FIELDS =
                Set.of("code", "symbol", "context", "message", "httpStatus", "fileIndex", "transient");

        @Override
        public JobError deserialize(JsonParser p, DeserializationContext c) throws IOException {
            JsonNode n = c.readTree(p);
            for (var names = n.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    throw JsonMappingException.from(p, "unknown field '" + name + "' in an error");
                }
            }
            try {
                return new JobError(BitsCodes.parse(required(p, n, "code").asText()),
                        ErrorContext.valueOf(required(p, n, "context").asText()),
                        required(p, n, "message").asText(),
                        nullableInt(n.get("httpStatus")), nullableInt(n.get("fileIndex")),
                        n.path("transient").asBoolean(false));
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, "bad error object: " + e.getMessage());
            }
        }

        private static JsonNode required(JsonParser p, JsonNode n, String field) throws JsonProcessingException {
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) {
                throw JsonMappingException.from(p, "error object without '" + field + "'");
            }
            return v;
        }

        private static Integer nullableInt(JsonNode v) {
            return v == null || v.isNull() ? null : v.asInt();
        }
    }
}
