package io.jbits.transport.http;

import io.jbits.api.AuthTarget;
import io.jbits.spi.CredentialSettings;
import io.jbits.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.login.LoginException;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.Credentials;
import org.apache.hc.client5.http.auth.CredentialsProvider;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * A job's credentials ({@link CredentialSettings}) as HttpClient asks for them, with
 * BITS's rule that they go only where they were set for: server credentials to the host and port of the job's own
 * URL (a redirect elsewhere gets none), proxy credentials to the job's proxies. It also remembers failed Kerberos
 * logins, so that a final 401 or 407 can say why Negotiate was not answered.
 */
final class JobCredentials implements CredentialsProvider {
    private final Map<AuthTarget, Map<HttpAuth, CredentialSettings.Login>> secrets;
    private final String serverHost;
    private final int serverPort;
    private final ProxyRoutes proxies;
    private final Map<String, Credentials> made = new ConcurrentHashMap<>();
    private final List<String> loginFailures = new ArrayList<>();

    private JobCredentials(Map<AuthTarget, Map<HttpAuth, CredentialSettings.Login>> secrets, String serverHost,
                           int serverPort, ProxyRoutes proxies) {
        this.secrets = secrets;
        this.serverHost = serverHost;
        this.serverPort = serverPort;
        this.proxies = proxies;
    }

    /** A job's credentials, for a job whose URL is at {@code host}:{@code port}. */
    static JobCredentials of(CredentialSettings settings, String host, int port, ProxyRoutes proxies) {
        Map<AuthTarget, Map<HttpAuth, CredentialSettings.Login>> out = new EnumMap<>(AuthTarget.class);
        for (CredentialSettings.Login l : settings.logins()) {
            out.computeIfAbsent(l.target(), t -> new EnumMap<>(HttpAuth.class)).put(HttpAuth.of(l.scheme()), l);
        }
        return new JobCredentials(out, host, port, proxies);
    }

    /** True when the job has no credentials at all. */
    boolean isEmpty() {
        return secrets.isEmpty();
    }

    /** The schemes the job has credentials for, for {@code target}. */
    Set<HttpAuth> schemes(AuthTarget target) {
        return secrets.getOrDefault(target, Map.of()).keySet();
    }

    /**
     * A digest of every credential, secrets included, that tells two credential sets apart without holding them:
     * part of the connection pool key, so connections authenticated with one set never serve another.
     */
    String fingerprint() {
        if (secrets.isEmpty()) {
            return "";
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        secrets.forEach((t, m) -> m.forEach((s, v) -> sorted.put(t + "." + s, v.user() + "\u0000" + text(v.secret()))));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(sorted.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String text(Secret secret) {
        char[] chars = secret.reveal();
        try {
            return new String(chars);
        } finally {
            Secret.wipe(chars);
        }
    }

    @Override
    public Credentials getCredentials(AuthScope scope, HttpContext context) {
        HttpAuth scheme = scope.getSchemeName() == null ? null : HttpAuth.ofChallenge(scope.getSchemeName());
        AuthTarget target = targetOf(scope);
        if (scheme == null || target == null) {
            return null;
        }
        CredentialSettings.Login s = secrets.getOrDefault(target, Map.of()).get(scheme);
        if (s == null) {
            return null;
        }
        String key = target + "." + scheme;
        Credentials c = made.get(key);
        if (c == null) {
            try {
                c = scheme.credentials(s.user(), s.secret());
            } catch (LoginException e) {
                synchronized (loginFailures) {
                    loginFailures.add("Kerberos login of " + s.user() + " failed: " + e.getMessage());
                }
                return null;
            }
            made.put(key, c);
        }
        return c;
    }

    private AuthTarget targetOf(AuthScope scope) {
        int port = scope.getPort() >= 0 ? scope.getPort() : defaultPort(scope.getProtocol());
        if (proxies.isProxy(scope.getHost(), port)) {
            return AuthTarget.PROXY;
        }
        if (serverHost.equalsIgnoreCase(scope.getHost()) && port == serverPort) {
            return AuthTarget.SERVER;
        }
        return null;
    }

    private static int defaultPort(String protocol) {
        return "https".equalsIgnoreCase(protocol) ? 443 : 80;
    }

    /** Kerberos logins that failed while answering challenges, for the error message. */
    List<String> loginFailures() {
        synchronized (loginFailures) {
            return List.copyOf(loginFailures);
        }
    }
}
