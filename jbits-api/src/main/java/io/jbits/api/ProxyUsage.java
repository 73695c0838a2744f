package io.jbits.api;

import java.util.Locale;

/** How a job's requests find their proxy, as BITS's {@code BG_JOB_PROXY_USAGE} (WPAD autodetection aside). */
public enum ProxyUsage {
    /** The service's settings: {@code http_proxy}, {@code https_proxy}, {@code no_proxy} (the default). */
    PRECONFIG,
    /** Always direct. */
    NONE,
    /** The job's own proxy list and bypass list. */
    OVERRIDE;

    /** The lower-case name used on the command line, in JSON and in the job options. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a usage name in any case. */
    public static ProxyUsage parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown proxy usage '" + text
                    + "' (expected preconfig, none or override)");
        }
    }
}
