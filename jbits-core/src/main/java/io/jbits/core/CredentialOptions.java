package io.jbits.core;

import io.jbits.api.AuthScheme;
import io.jbits.api.AuthTarget;
import io.jbits.api.Credentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a job's credentials live in its {@link JobOptions}: {@code cred.<target>.<scheme>.user} and
 * {@code cred.<target>.<scheme>.secret} ({@code cred.server.ntlm.user}, {@code cred.proxy.basic.secret}). Names
 * ending in {@code .secret} never leave the service ({@link io.jbits.api.JobInfo#options()} drops them); transports
 * read both from {@link RemoteRequest#options()} through {@link #find}.
 */
public final class CredentialOptions {
    /** The prefix of every credential option. */
    public static final String PREFIX = "cred.";

    private CredentialOptions() {
    }

    /** The option that holds the user name for a target and scheme. */
    public static String userName(AuthTarget target, AuthScheme scheme) {
        return PREFIX + target.label() + "." + scheme.label() + ".user";
    }

    /** The option that holds the secret for a target and scheme. */
    public static String secretName(AuthTarget target, AuthScheme scheme) {
        return PREFIX + target.label() + "." + scheme.label() + ".secret";
    }

    /** These options with the credentials stored, replacing any for the same target and scheme. */
    public static JobOptions with(JobOptions options, Credentials c) {
        return options.with(userName(c.target(), c.scheme()), c.user())
                .with(secretName(c.target(), c.scheme()), new String(c.secret()));
    }

    /** These options without the credentials for a target and scheme. */
    public static JobOptions without(JobOptions options, AuthTarget target, AuthScheme scheme) {
        return options.with(userName(target, scheme), null).with(secretName(target, scheme), null);
    }

    /** The credentials stored for a target and scheme, if any. */
    public static Optional<Credentials> find(JobOptions options, AuthTarget target, AuthScheme scheme) {
        String user = options.string(userName(target, scheme));
        if (user == null) {
            return Optional.empty();
        }
        String secret = options.string(secretName(target, scheme));
        return Optional.of(new Credentials(target, scheme, user, secret == null ? new char[0] : secret.toCharArray()));
    }

    /**
     * Options JSON text with every secret replaced by {@code "***"}, for {@code toString} of records that carry
     * options (a request or a row may end up in a log line or a test failure).
     */
    public static String redact(String optionsJson) {
        try {
            JobOptions o = JobOptions.parse(optionsJson);
            for (String name : o.asMap().keySet()) {
                if (name.endsWith(".secret")) {
                    o = o.with(name, "***");
                }
            }
            return o.toJson();
        } catch (IllegalArgumentException e) {
            return "(unreadable options)";
        }
    }

    /** Every credential stored for a target, in the order of {@code preference}. */
    public static List<Credentials> all(JobOptions options, AuthTarget target, AuthScheme... preference) {
        List<Credentials> found = new ArrayList<>();
        for (AuthScheme s : preference) {
            find(options, target, s).ifPresent(found::add);
        }
        return found;
    }
}
