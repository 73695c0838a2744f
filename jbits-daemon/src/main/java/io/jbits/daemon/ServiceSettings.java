package io.jbits.daemon;

import java.util.Map;

/**
 * The service's scheduling settings, from the environment it starts in (the CLI passes its own environment on).
 *
 * <ul>
 *   <li>{@code JBITS_MAX_BACKGROUND_JOBS}: background jobs that transfer at once (default 1, as BITS).</li>
 *   <li>{@code JBITS_FILES_IN_PARALLEL}: files of one job that move at once (default 8; BITS: 1).</li>
 * </ul>
 *
 * @param maxBackgroundJobs at least 1
 * @param filesInParallel at least 1
 */
record ServiceSettings(int maxBackgroundJobs, int filesInParallel) {
    static final int DEFAULT_MAX_BACKGROUND_JOBS = 1;
    static final int DEFAULT_FILES_IN_PARALLEL = 8;

    /** Reads the settings; a malformed or out-of-range value is refused with its name and value. */
    static ServiceSettings from(Map<String, String> env) {
        return new ServiceSettings(
                read(env, "JBITS_MAX_BACKGROUND_JOBS", DEFAULT_MAX_BACKGROUND_JOBS, 1, 64),
                read(env, "JBITS_FILES_IN_PARALLEL", DEFAULT_FILES_IN_PARALLEL, 1, 256));
    }

    private static int read(Map<String, String> env, String name, int fallback, int min, int max) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(text.strip());
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + "=" + text + " is out of range " + min + ".." + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + text + " is not a whole number");
        }
    }
}
