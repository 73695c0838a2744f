package io.jbits.core.internal;

import java.time.Duration;

/**
 * One instance of the values that most jobs hold alike. The store hands every row its own copies; a queue of
 * 100,000 jobs would otherwise keep 100,000 equal owner names, {@code "{}"} option texts and default durations.
 */
final class Shared {
    /** The text of no options and of no transport state. */
    static final String EMPTY_OBJECT = "{}";
    /** BITS's default minimum retry delay, which almost every job keeps; new jobs get it. */
    static final Duration DEFAULT_MIN_RETRY_DELAY = Duration.ofSeconds(600);
    /** BITS's default no-progress timeout, which almost every job keeps; new jobs get it. */
    static final Duration DEFAULT_NO_PROGRESS_TIMEOUT = Duration.ofDays(14);

    private Shared() {
    }

    /** {@code shared} when {@code value} equals it, else {@code value} itself. */
    static String value(String value, String shared) {
        return value != null && value.equals(shared) ? shared : value;
    }

    /** The shared instance of a common duration, else {@code value} itself. */
    static Duration duration(Duration value) {
        if (DEFAULT_MIN_RETRY_DELAY.equals(value)) {
            return DEFAULT_MIN_RETRY_DELAY;
        }
        return DEFAULT_NO_PROGRESS_TIMEOUT.equals(value) ? DEFAULT_NO_PROGRESS_TIMEOUT : value;
    }

    /** True for options or transport state with nothing in them. */
    static boolean isEmptyObject(String json) {
        return json == null || json.isEmpty() || EMPTY_OBJECT.equals(json);
    }
}
