package io.jbits.api;

import java.util.Locale;

/**
 * The priority of a job, as BITS's {@code BG_JOB_PRIORITY}.
 *
 * <p>FOREGROUND jobs all run at once and use the full link. HIGH, NORMAL and LOW are background priorities: a higher
 * one preempts a lower one, equals share time in round-robin slices.
 */
public enum Priority {
    FOREGROUND, HIGH, NORMAL, LOW;

    /** True for HIGH, NORMAL and LOW. */
    public boolean isBackground() {
        return this != FOREGROUND;
    }

    /** The lower-case name used on the command line and in JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a priority name in any case ("foreground", "HIGH", …). */
    public static Priority parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(
                    "unknown priority '" + text + "' (expected foreground, high, normal or low)");
        }
    }
}
