package io.jbits.core.internal;

import io.jbits.api.JbitsException;
import io.jbits.api.ProxyUsage;
import io.jbits.api.Redirects;
import io.jbits.api.TlsOptions;
import io.jbits.core.JobOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Checks a job's HTTP settings (proxy, headers, redirects, TLS) when they are set, so that bad input gets a clear
 * error at once rather than a failed job later, and writes them as job options ({@code proxy.*}, {@code http.*},
 * {@code tls.*}) for the HTTP transport to read.
 */
public final class HttpSettings {
    /** BITS's documented limit for each of the proxy and bypass lists. */
    private static final int MAX_LIST_CHARS = 4000;
    /** A bound on all custom headers together, well under what servers accept in a request head. */
    private static final int MAX_HEADER_CHARS = 16 * 1024;
    private static final Pattern PROXY = Pattern.compile("((http|https)=)?(http://)?[^\\s/:,=]+(:\\d{1,5})?/?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern HOST = Pattern.compile("<local>|\\*|(\\*\\.)?[^\\s/,*]+");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> MANAGED = Set.of("host", "range", "if-range", "content-length",
            "transfer-encoding", "connection", "accept-encoding", "expect", "upgrade", "te", "proxy-authorization");
    private static final Set<String> CERT_ERRORS = Set.of("unknown-ca", "expired", "name");

    private HttpSettings() {
    }

    /** The change that sets a job's proxy usage; checks the lists first. */
    public static UnaryOperator<JobOptions> proxy(ProxyUsage usage, List<String> proxies, List<String> bypass) {
        if (usage == null) {
            throw JbitsException.invalidArgument("a proxy usage is needed: preconfig, none or override");
        }
        List<String> list = proxies == null ? List.of() : proxies.stream().map(String::trim).toList();
        List<String> skip = bypass == null ? List.of() : bypass.stream().map(String::trim).toList();
        if (usage != ProxyUsage.OVERRIDE && (!list.isEmpty() || !skip.isEmpty())) {
            throw JbitsException.invalidArgument("a proxy list and bypass list go only with proxy usage override");
        }
        if (usage == ProxyUsage.OVERRIDE && list.isEmpty()) {
            throw JbitsException.invalidArgument("proxy usage override needs at least one proxy");
        }
        for (String p : list) {
            if (!PROXY.matcher(p).matches()) {
                throw JbitsException.invalidArgument("'" + p + "' is not a proxy: expected host[:port] or"
                        + " http://host[:port], optionally prefixed http= or https=");
            }
        }
        for (String h : skip) {
            if (!HOST.matcher(h).matches()) {
                throw JbitsException.invalidArgument("'" + h + "' is not a bypass entry: expected a host name, an"
                        + " address, *.domain or <local>");
            }
        }
        String joinedList = String.join(",", list);
        String joinedBypass = String.join(",", skip);
        if (joinedList.length() > MAX_LIST_CHARS || joinedBypass.length() > MAX_LIST_CHARS) {
            throw JbitsException.invalidArgument("proxy and bypass lists are limited to " + MAX_LIST_CHARS
                    + " characters each");
        }
        return o -> o.with("proxy.usage", usage.label())
                .with("proxy.list", list.isEmpty() ? null : joinedList)
                .with("proxy.bypass", skip.isEmpty() ? null : joinedBypass);
    }

    /** The change that replaces a job's custom headers; checks each first. */
    public static UnaryOperator<JobOptions> headers(List<String> headers) {
        List<String> lines = headers == null ? List.of() : headers;
        for (String line : lines) {
            String problem = headerProblem(line);
            if (problem != null) {
                throw JbitsException.invalidArgument(problem);
            }
        }
        String joined = String.join("\r\n", lines.stream().map(String::strip).toList());
        if (joined.length() > MAX_HEADER_CHARS) {
            throw JbitsException.invalidArgument("custom headers are limited to " + MAX_HEADER_CHARS
                    + " characters in all");
        }
        return o -> o.with("http.headers", lines.isEmpty() ? null : joined);
    }

    private static String headerProblem(String line) {
        if (line == null) {
            return "a header cannot be null";
        }
        if (line.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            return "a header cannot hold a line break";
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return "header '" + line + "' is not 'Name: value'";
        }
        String name = line.substring(0, colon).trim();
        if (!TOKEN.matcher(name).matches()) {
            return "header name '" + name + "' has characters HTTP does not allow";
        }
        if (MANAGED.contains(name.toLowerCase(Locale.ROOT))) {
            return "header '" + name + "' is set by jbits itself and cannot be replaced";
        }
        return null;
    }

    /** The change that sets a job's redirect policy. */
    public static UnaryOperator<JobOptions> redirects(Redirects policy, boolean allowHttpsToHttp) {
        if (policy == null) {
            throw JbitsException.invalidArgument("a redirect policy is needed: allow, report or deny");
        }
        return o -> o.with("http.redirects", policy == Redirects.ALLOW ? null : policy.label())
                .with("http.redirects.https-to-http", allowHttpsToHttp ? Boolean.TRUE : null);
    }

    /** The change that replaces a job's TLS settings; checks paths and error names first. */
    public static UnaryOperator<JobOptions> tls(TlsOptions tls) {
        TlsOptions t = tls == null ? TlsOptions.none() : tls;
        String ca = absolute("CA file", t.caFile());
        String cert = absolute("client certificate", t.clientCertificate());
        String key = absolute("client key", t.clientKey());
        if ((cert == null) != (key == null)) {
            throw JbitsException.invalidArgument("a client certificate needs both the certificate and its key");
        }
        for (String e : t.ignoreCertErrors()) {
            if (!CERT_ERRORS.contains(e)) {
                throw JbitsException.invalidArgument("unknown certificate error '" + e
                        + "': expected unknown-ca, expired or name");
            }
        }
        String ignore = String.join(",", t.ignoreCertErrors().stream().distinct().toList());
        return o -> o.with("tls.ca-file", ca).with("tls.client-cert", cert).with("tls.client-key", key)
                .with("tls.ignore", ignore.isEmpty() ? null : ignore);
    }

    private static String absolute(String what, String path) {
        if (path == null || path.isBlank()) {
            return null;
        }
        if (!Path.of(path).isAbsolute()) {
            throw JbitsException.invalidArgument(what + " must be an absolute path: " + path);
        }
        return path;
    }
}
