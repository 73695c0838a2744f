package io.jbits.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A job's options beyond the BITS properties (rate limits, credentials, proxy, TLS, notification command, …): one
 * flat JSON object of dotted names with string, integer or boolean values. The store keeps the text opaque and
 * transports read it from {@link RemoteRequest#options()}.
 *
 * <p>Each feature owns its names: a settings record ({@link RateSettings}, {@link ProxySettings},
 * {@link HttpSettings}, {@link TlsSettings}, {@link CredentialSettings}, {@link NotifyCommand}) declares them once as
 * {@link OptionKey}s, reads itself with a {@code from(JobOptions)} and writes itself back; everyone else calls the
 * record. Immutable.
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

    /**
     * Options from a map of names to strings, integers or booleans, such as {@link io.jbits.api.JobInfo#options()};
     * null values are left out.
     *
     * @throws IllegalArgumentException for a value of another type
     */
    public static JobOptions of(Map<String, ?> values) {
        JobOptions o = EMPTY;
        for (Map.Entry<String, ?> e : values.entrySet()) {
            o = o.with(e.getKey(), e.getValue());
        }
        return o;
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

    /** The value of {@code key}, or its {@link OptionKey#absent()} value when it is not set or has another type. */
    public <T> T get(OptionKey<T> key) {
        Object v = values.get(key.name());
        return key.type().isInstance(v) ? key.type().cast(v) : key.absent();
    }

    /** True when {@code key} is set, whatever its type. */
    public boolean has(OptionKey<?> key) {
        return values.containsKey(key.name());
    }

    /** These options with {@code key} set to {@code value}, or removed when it is null. */
    public <T> JobOptions with(OptionKey<T> key, T value) {
        return with(key.name(), value);
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
