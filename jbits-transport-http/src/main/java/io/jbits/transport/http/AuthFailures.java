package io.jbits.transport.http;

import io.jbits.api.AuthTarget;
import io.jbits.api.JobError;
import io.jbits.spi.TransferFailure;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;

/**
 * Turns a final 401 (server) or 407 (proxy) into the fatal error BITS reports ({@code BG_E_HTTP_ERROR_401} /
 * {@code _407}, docs/bits.md §6.2), with a message that tells the user what to fix: which schemes the server or proxy
 * offered, and whether the job had no credentials for them, had them for other schemes only, or had them refused.
 */
final class AuthFailures {
    /** A scheme name at the start of a challenge: a token followed by a space and a parameter, a comma or the end. */
    private static final Pattern SCHEME = Pattern.compile("(?:^|,)\\s*([A-Za-z][A-Za-z0-9._-]*)(?=\\s+[^=,\\s]|\\s*,|\\s*$)");

    private AuthFailures() {
    }

    static TransferFailure of(ClassicHttpResponse response, URI uri, JobHttp job, HttpClientContext context) {
        int status = response.getCode();
        boolean proxy = status == 407;
        AuthTarget target = proxy ? AuthTarget.PROXY : AuthTarget.SERVER;
        String who = proxy ? "proxy " + proxyName(job, uri, context) : "server " + Failures.authority(uri);
        Set<String> offered = offered(response, proxy ? "Proxy-Authenticate" : "WWW-Authenticate");
        Set<HttpAuth> have = job.credentials.schemes(target);
        String targetWord = proxy ? "proxy" : "server";
        StringBuilder m = new StringBuilder("HTTP ").append(status).append(proxy ? " Proxy Authentication Required"
                : " Unauthorized").append(" for ").append(uri).append(": the ").append(who);
        m.append(offered.isEmpty() ? " sent no challenge" : " asks for " + String.join(", ", offered));
        Set<String> usable = new LinkedHashSet<>();
        for (HttpAuth a : have) {
            if (offered.stream().anyMatch(o -> HttpAuth.ofChallenge(o) == a)) {
                usable.add(a.label());
            }
        }
        if (!proxy && !sameEndpoint(job, uri)) {
            m.append("; this URL was reached by a redirect to another host, and credentials go only to the job's own"
                    + " host");
        } else if (have.isEmpty()) {
            m.append("; the job has no ").append(targetWord).append(" credentials (jbits set JOB --credentials ")
                    .append(targetWord).append(' ').append(suggestion(offered)).append(" USER)");
        } else if (usable.isEmpty()) {
            m.append("; the job has ").append(targetWord).append(" credentials only for ")
                    .append(String.join(", ", have.stream().map(a -> a.label()).toList()));
        } else {
            m.append("; the ").append(targetWord).append(" refused the job's ").append(String.join("/", usable))
                    .append(" credentials");
        }
        for (String failure : job.credentials.loginFailures()) {
            m.append("; ").append(failure);
        }
        return new TransferFailure(JobError.http(status, m.toString(), null));
    }

    private static boolean sameEndpoint(JobHttp job, URI uri) {
        return job.addsSecretsTo(uri);
    }

    private static String proxyName(JobHttp job, URI uri, HttpClientContext context) {
        HttpHost p = job.proxyOf(uri, context);
        return p == null ? "(unknown)" : p.toHostString();
    }

    private static String suggestion(Set<String> offered) {
        for (String o : offered) {
            HttpAuth a = HttpAuth.ofChallenge(o);
            if (a != null) {
                return a.label();
            }
        }
        return "basic";
    }

    /** The scheme names of every challenge in the response's {@code header} fields. */
    static Set<String> offered(ClassicHttpResponse response, String header) {
        Set<String> out = new LinkedHashSet<>();
        for (Header h : response.getHeaders(header)) {
            Matcher matcher = SCHEME.matcher(h.getValue());
            while (matcher.find()) {
                String name = matcher.group(1);
                HttpAuth known = HttpAuth.ofChallenge(name);
                out.add(known == null ? name : known.challengeName.equals("Negotiate") ? "Negotiate"
                        : name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1));
            }
        }
        return out;
    }
}
