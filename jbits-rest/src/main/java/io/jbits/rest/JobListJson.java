package io.jbits.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jbits.api.FileInfo;
import io.jbits.api.JobInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The streamed list of jobs of {@code GET /v1/jobs}: written and read one job at a time, never whole in memory. */
final class JobListJson {
    private JobListJson() {
    }

    /** Writes jobs as {@link Json#writeJobList} says. */
    static void writeJobList(Iterable<JobInfo> jobs, OutputStream out) throws IOException {
        Supplier<ObjectWriter> values = new LazyWriter();
        try (JsonGenerator g = PLAIN.createGenerator(out)) {
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

    /** Reads jobs as {@link Json#readJobList} says. */
    static void readJobList(InputStream in, Consumer<JobInfo> action) throws IOException {
        ObjectReader reader = Json.mapper().readerFor(JobInfo.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        try (JsonParser p = Json.mapper().createParser(in)) {
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
    private static void writeJob(JsonGenerator g, JobInfo j, Supplier<ObjectWriter> values) throws IOException {
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
            values.get().writeValue(g, j.error());
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
            values.get().writeValue(g, j.options());
        }
        g.writeStringField("heldBack", j.heldBack());
        g.writeEndObject();
    }

    /**
     * One job as the mapper's default pretty printer writes it ({@code jbits info --json}), by {@link #writeJob}: the
     * mapper is set up only for an error or options, not for the common job.
     */
    static String prettyJob(JobInfo j) throws IOException {
        java.io.StringWriter out = new java.io.StringWriter();
        try (JsonGenerator g = PLAIN.createGenerator(out)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            writeJob(g, j, () -> Json.mapper().writer());
        }
        return out.toString();
    }

    /** One job as the mapper writes it, compact ({@code GET /v1/jobs/{id}}), by {@link #writeJob}. */
    static String compactJob(JobInfo j) throws IOException {
        java.io.StringWriter out = new java.io.StringWriter();
        try (JsonGenerator g = PLAIN.createGenerator(out)) {
            writeJob(g, j, new LazyWriter());
        }
        return out.toString();
    }

    /**
     * A factory of jackson-core alone, for the writers above: the mapper's is only had by building the mapper, which
     * they need only for an error or options (the same factory settings: the mapper's is a default one).
     */
    private static final JsonFactory PLAIN = new JsonFactory();

    /** The mapper's writer of values, built at the first job that has an error or options. */
    private static final class LazyWriter implements Supplier<ObjectWriter> {
        private ObjectWriter writer;

        @Override
        public ObjectWriter get() {
            if (writer == null) {
                writer = Json.mapper().writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
            }
            return writer;
        }
    }

    private static void writeInstant(JsonGenerator g, String field, Instant time) throws IOException {
        if (time == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, iso(time)); // ISO-8601, as the time module writes it
        }
    }

    /**
     * {@code time.toString()}, the same characters, without java.time's formatter for years 0 to 9999: the formatter's
     * set-up is a few ms of a short command ({@code jbits info --json}) and of a service's first list.
     */
    static String iso(Instant time) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), time.getNano(), ZoneOffset.UTC);
        if (t.getYear() < 0 || t.getYear() > 9999) {
            return time.toString(); // its signs and wider years
        }
        StringBuilder b = new StringBuilder(30);
        digits(b, t.getYear(), 4).append('-');
        digits(b, t.getMonthValue(), 2).append('-');
        digits(b, t.getDayOfMonth(), 2).append('T');
        digits(b, t.getHour(), 2).append(':');
        digits(b, t.getMinute(), 2).append(':');
        digits(b, t.getSecond(), 2);
        int nano = t.getNano();
        if (nano != 0) { // in groups of three digits, as ISO_INSTANT prints them
            b.append('.');
            if (nano % 1_000_000 == 0) {
                digits(b, nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                digits(b, nano / 1_000, 6);
            } else {
                digits(b, nano, 9);
            }
        }
        return b.append('Z').toString();
    }

    private static StringBuilder digits(StringBuilder b, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }

    private static final JbitsModule.DurationSeconds SECONDS = new JbitsModule.DurationSeconds();

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

}
