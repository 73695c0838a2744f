package io.jbits.api;

import java.util.Locale;

/**
 * How a job's credentials are presented, as BITS's {@code BG_AUTH_SCHEME}: HTTP Basic (cleartext, meant for https),
 * Digest, NTLM, or Negotiate (SPNEGO: Kerberos or NTLM). SMB remote names use the server's NTLM credentials.
 */
public enum AuthScheme {
    BASIC, DIGEST, NTLM, NEGOTIATE;

    /** The lower-case name used on the command line, in JSON and in option names ({@code cred.server.ntlm.…}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a scheme name in any case ("basic", "NTLM"). */
    public static AuthScheme parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new JbitsException(BitsCodes.BG_E_INVALID_AUTH_SCHEME,
                    "unknown authentication scheme '" + text + "' (expected basic, digest, ntlm or negotiate)");
        }
    }
}
