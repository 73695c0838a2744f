package io.jbits.api;

import java.util.Locale;

/** Whom a job's credentials are for, as BITS's {@code BG_AUTH_TARGET}: the remote server or the proxy. */
public enum AuthTarget {
    SERVER, PROXY;

    /** The lower-case name used on the command line, in JSON and in option names ({@code cred.server.…}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a target name in any case ("server", "PROXY"). */
    public static AuthTarget parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new JbitsException(BitsCodes.BG_E_INVALID_AUTH_TARGET,
                    "unknown credential target '" + text + "' (expected server or proxy)");
        }
    }
}
