package io.jbits.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A job's options beyond the BITS properties (rate limits, credentials, proxy, TLS, notification command, …): one
 * flat JSON object of dotted names ({@code "proxy.usage"}, {@code "rate.max"}) with string, integer or boolean
 * values. The store keeps the text opaque, transports read it from {@link RemoteRequest#options()}, and each feature
 * owns the names under its own prefix. Immutable.
 */
public final class JobOptions {
    private static final JobOptions EMPTY = new JobOptions(Map.of());

    private final Map<String, Object> values;

    private JobOptions(Map<String, Object> values) {
        this.values = values;
    }

    /** No options. */
    public static JobOptions empty() {
        return EMPTY;
    }

    /**
     * Reads the options' JSON text; null or blank is empty.
     *
     * @throws IllegalArgumentException when the text is not one flat JSON object
     */
    public static JobOptions parse(String json) {
        if (json == null || json.isBlank()) {
            return EMPTY;
        }
        Map<String, Object> m = FlatJson.parse(json);
        m.values().removeIf(Objects::isNull);
        return new JobOptions(Collections.unmodifiableMap(m));
    }

    /** The options as JSON text, "{}" when empty. */
    public String toJson() {
        return FlatJson.write(values);
    }

    /** Every option, in the order they were set. */
    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** A string option, or null when it is not set or not a string. */
    public String string(String name) {
        return values.get(name) instanceof String s ? s : null;
    }

    /** An integer option, or {@code absent} when it is not set or not an integer. */
    public long number(String name, long absent) {
        return values.get(name) instanceof Long l ? l : absent;
    }

    /** A boolean option, or {@code absent} when it is not set or not a boolean. */
    public boolean flag(String name, boolean absent) {
        return values.get(name) instanceof Boolean b ? b : absent;
    }

    /** These options with {@code name} set to a string, integer or boolean, or removed when {@code value} is null. */
    public JobOptions with(String name, Object value) {
        Objects.requireNonNull(name, "name");
        Map<String, Object> m = new LinkedHashMap<>(values);
        if (value == null) {
            m.remove(name);
        } else if (value instanceof String || value instanceof Boolean) {
            m.put(name, value);
        } else if (value instanceof Long || value instanceof Integer) {
            m.put(name, ((Number) value).longValue());
        } else {
            throw new IllegalArgumentException("option " + name + ": not a string, integer or boolean");
        }
        return new JobOptions(Collections.unmodifiableMap(m));
    }

    /** These options without every name that starts with {@code prefix}. */
    public JobOptions withoutPrefix(String prefix) {
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.keySet().removeIf(k -> k.startsWith(prefix));
        return new JobOptions(Collections.unmodifiableMap(m));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobOptions other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
