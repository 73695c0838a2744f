package io.jbits.api;

import java.util.Locale;

/** What a download job does when the server redirects it, as BITS's {@code BG_HTTP_REDIRECT_POLICY_*}. */
public enum Redirects {
    /** Follow silently (the default). */
    ALLOW,
    /** Follow, and the file's remote URL becomes the final URL. */
    REPORT,
    /** Do not follow: the job fails with {@code ERROR_WINHTTP_REDIRECT_FAILED}. */
    DENY;

    /** The lower-case name used on the command line, in JSON and in the job options. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a policy name in any case. */
    public static Redirects parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown redirect policy '" + text
                    + "' (expected allow, report or deny)");
        }
    }
}
