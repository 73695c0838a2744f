package io.jbits.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * One set of credentials for a job, as BITS's {@code BG_AUTH_CREDENTIALS}: for a target and a scheme, a user name
 * and a secret. A job holds at most one per (target, scheme); setting one again replaces it.
 *
 * <p>The secret is a {@code char[]} so that callers can wipe it once it is handed over ({@link #wipe}); it is never
 * part of {@link #toString}, of {@link JobInfo} or of any log line.
 *
 * @param target the server or the proxy
 * @param scheme Basic, Digest, NTLM or Negotiate
 * @param user the user name, at most 300 characters; for NTLM and SMB it may name a domain: {@code DOMAIN\\user}
 *     or {@code user@domain}
 * @param secret the password, at most 65,535 characters; may be empty, never null
 */
public record Credentials(AuthTarget target, AuthScheme scheme, String user, char[] secret) {
    /** BITS's limit on user names ({@code BG_E_USERNAME_TOO_LARGE} beyond it). */
    public static final int MAX_USER_LENGTH = 300;
    /** BITS's limit on passwords ({@code BG_E_PASSWORD_TOO_LARGE} beyond it). */
    public static final int MAX_SECRET_LENGTH = 65_535;

    public Credentials {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(secret, "secret");
    }

    /**
     * Checks the BITS limits: a user name that is not blank and at most {@link #MAX_USER_LENGTH} characters, a
     * secret of at most {@link #MAX_SECRET_LENGTH}.
     *
     * @throws JbitsException {@code E_INVALIDARG}, {@code BG_E_USERNAME_TOO_LARGE} or {@code BG_E_PASSWORD_TOO_LARGE}
     */
    public Credentials check() {
        if (user.isBlank()) {
            throw JbitsException.invalidArgument(target.label() + " " + scheme.label()
                    + " credentials need a user name");
        }
        if (user.length() > MAX_USER_LENGTH) {
            throw new JbitsException(BitsCodes.BG_E_USERNAME_TOO_LARGE, "user name is " + user.length()
                    + " characters long; at most " + MAX_USER_LENGTH + " allowed");
        }
        if (secret.length > MAX_SECRET_LENGTH) {
            throw new JbitsException(BitsCodes.BG_E_PASSWORD_TOO_LARGE, "password is " + secret.length
                    + " characters long; at most " + MAX_SECRET_LENGTH + " allowed");
        }
        for (char c : user.toCharArray()) {
            if (Character.isISOControl(c)) {
                throw JbitsException.invalidArgument("user name holds a control character");
            }
        }
        return this;
    }

    /** Overwrites the secret with zeros. */
    public void wipe() {
        Arrays.fill(secret, '\0');
    }

    /** Records compare arrays by identity; credentials compare by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials c && target == c.target && scheme == c.scheme && user.equals(c.user)
                && Arrays.equals(secret, c.secret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(target, scheme, user);
    }

    /** Target, scheme and user; never the secret. */
    @Override
    public String toString() {
        return "Credentials[" + target.label() + " " + scheme.label() + " " + user + "]";
    }
}
