package io.jbits.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.api.JobEvent;
import io.jbits.api.JobType;
import io.jbits.api.Priority;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Set;

/**
 * The Jackson module of the API's own types: enums by their command-line labels, durations as seconds, and job
 * errors with their BITS code in hex beside its symbol.
 */
final class JbitsModule {
    private JbitsModule() {
    }

    /** The module, with every serializer and deserializer of the API's own types. */
    static SimpleModule create() {
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
    static final class DurationSeconds extends JsonSerializer<Duration> {
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
