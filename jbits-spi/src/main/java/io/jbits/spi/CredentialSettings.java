package io.jbits.spi;

import io.jbits.api.AuthScheme;
import io.jbits.api.AuthTarget;
import io.jbits.api.Credentials;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job's credentials, at most one user and secret per target and scheme, as the options
 * {@code cred.<target>.<scheme>.user} and {@code cred.<target>.<scheme>.secret} hold them
 * ({@code cred.server.ntlm.user}, {@code cred.proxy.basic.secret}). The secret options never leave the service:
 * {@link #isSecret} tells them apart, {@link io.jbits.api.JobInfo#options()} leaves them out and {@link #redact}
 * masks them in text meant for logs.
 *
 * @param logins the credentials, in the order of their options
 */
public record CredentialSettings(List<Login> logins) {
    private static final String PREFIX = "cred.";
    private static final String USER = "user";
    private static final String SECRET = "secret";

    /** No credentials. */
    public static final CredentialSettings NONE = new CredentialSettings(List.of());

    /**
     * One credential of a job.
     *
     * @param target the server or the proxy
     * @param scheme Basic, Digest, NTLM or Negotiate
     * @param user the user name ({@code DOMAIN\\name} for NTLM, {@code name@REALM} for Negotiate)
     * @param secret the password; empty when none was stored
     */
    public record Login(AuthTarget target, AuthScheme scheme, String user, Secret secret) {
        public Login {
            java.util.Objects.requireNonNull(target, "target");
            java.util.Objects.requireNonNull(scheme, "scheme");
            java.util.Objects.requireNonNull(user, "user");
            java.util.Objects.requireNonNull(secret, "secret");
        }
    }

    public CredentialSettings {
        logins = List.copyOf(logins);
    }

    /** The option that holds the user name for a target and scheme. */
    public static OptionKey<String> userKey(AuthTarget target, AuthScheme scheme) {
        return OptionKey.text(PREFIX + target.label() + "." + scheme.label() + "." + USER);
    }

    /** The option that holds the secret for a target and scheme. */
    public static OptionKey<String> secretKey(AuthTarget target, AuthScheme scheme) {
        return OptionKey.text(PREFIX + target.label() + "." + scheme.label() + "." + SECRET);
    }

    /** The credentials of a job's options; option names that are no target and scheme are passed over. */
    public static CredentialSettings from(JobOptions options) {
        List<Login> found = new ArrayList<>();
        for (String name : options.asMap().keySet()) {
            Slot slot = Slot.of(name);
            if (slot == null || !slot.part().equals(USER)) {
                continue;
            }
            String user = options.get(userKey(slot.target(), slot.scheme()));
            if (user != null) {
                found.add(new Login(slot.target(), slot.scheme(), user,
                        Secret.of(options.get(secretKey(slot.target(), slot.scheme())))));
            }
        }
        return new CredentialSettings(found);
    }

    /** These options with exactly these credentials in them: changed ones in place, new ones last, others removed. */
    public JobOptions writeTo(JobOptions options) {
        JobOptions out = options;
        for (String name : options.asMap().keySet()) {
            Slot slot = Slot.of(name);
            if (slot != null && find(slot.target(), slot.scheme()).isEmpty()) {
                out = out.with(name, null);
            }
        }
        for (Login l : logins) {
            out = out.with(userKey(l.target(), l.scheme()), l.user())
                    .with(secretKey(l.target(), l.scheme()), l.secret().revealText());
        }
        return out;
    }

    /** These credentials with {@code c} in them, replacing any for the same target and scheme. */
    public CredentialSettings with(Credentials c) {
        Login login = new Login(c.target(), c.scheme(), c.user(), Secret.of(c.secret()));
        Map<String, Login> bySlot = bySlot();
        bySlot.put(c.target() + "/" + c.scheme(), login);
        return new CredentialSettings(new ArrayList<>(bySlot.values()));
    }

    /** These credentials without the one for a target and scheme. */
    public CredentialSettings without(AuthTarget target, AuthScheme scheme) {
        Map<String, Login> bySlot = bySlot();
        bySlot.remove(target + "/" + scheme);
        return new CredentialSettings(new ArrayList<>(bySlot.values()));
    }

    private Map<String, Login> bySlot() {
        Map<String, Login> m = new LinkedHashMap<>();
        for (Login l : logins) {
            m.put(l.target() + "/" + l.scheme(), l);
        }
        return m;
    }

    /** The credential for a target and scheme, if any. */
    public Optional<Login> find(AuthTarget target, AuthScheme scheme) {
        return logins.stream().filter(l -> l.target() == target && l.scheme() == scheme).findFirst();
    }

    /** Every credential for a target, in the order of {@code preference}. */
    public List<Login> all(AuthTarget target, AuthScheme... preference) {
        List<Login> found = new ArrayList<>();
        for (AuthScheme s : preference) {
            find(target, s).ifPresent(found::add);
        }
        return found;
    }

    public boolean isEmpty() {
        return logins.isEmpty();
    }

    /**
     * True when {@code optionName} holds a secret, which must never leave the service or reach a log: any
     * credential option of the secret part, also one whose target or scheme this version does not know.
     */
    public static boolean isSecret(String optionName) {
        return optionName.startsWith(PREFIX) && optionName.endsWith("." + SECRET);
    }

    /**
     * Options JSON text with every secret replaced by {@code "***"}, for {@code toString} of records that carry
     * options (a request or a row may end up in a log line or a test failure).
     */
    public static String redact(String optionsJson) {
        try {
            JobOptions o = JobOptions.parse(optionsJson);
            for (String name : o.asMap().keySet()) {
                if (isSecret(name)) {
                    o = o.with(name, "***");
                }
            }
            return o.toJson();
        } catch (IllegalArgumentException e) {
            return "(unreadable options)";
        }
    }

    /** The options a caller may see: every one but the secrets. */
    public static Map<String, Object> withoutSecrets(Map<String, Object> options) {
        Map<String, Object> shown = new LinkedHashMap<>(options);
        shown.keySet().removeIf(CredentialSettings::isSecret);
        return shown;
    }

    /** What a credential option's name says: {@code cred.<target>.<scheme>.<part>}. */
    private record Slot(AuthTarget target, AuthScheme scheme, String part) {
        static Slot of(String name) {
            if (!name.startsWith(PREFIX)) {
                return null;
            }
            String[] parts = name.split("\\.");
            if (parts.length != 4 || !(parts[3].equals(USER) || parts[3].equals(SECRET))) {
                return null;
            }
            AuthTarget target = null;
            for (AuthTarget t : AuthTarget.values()) {
                if (t.label().equals(parts[1])) {
                    target = t;
                }
            }
            AuthScheme scheme = null;
            for (AuthScheme s : AuthScheme.values()) {
                if (s.label().equals(parts[2])) {
                    scheme = s;
                }
            }
            return target == null || scheme == null ? null : new Slot(target, scheme, parts[3]);
        }
    }
}
