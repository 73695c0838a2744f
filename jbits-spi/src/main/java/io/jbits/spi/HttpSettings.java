package io.jbits.spi;

import io.jbits.api.JbitsException;
import io.jbits.api.ProxyUsage;
import io.jbits.api.Redirects;
import io.jbits.api.TlsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A job's custom request headers and redirect policy, as the options {@code http.*} hold them; and the checked
 * changes of all of a job's HTTP settings (these, {@link ProxySettings} and {@link TlsSettings}), which refuse bad
 * input at once with a clear error rather than fail the job later.
 *
 * @param headerLines extra request headers, {@code Name: value} each
 * @param redirectPolicy what a download does when redirected
 * @param allowHttpsToHttp true to follow an https URL to a plain http one
 */
public record HttpSettings(List<String> headerLines, Redirects redirectPolicy, boolean allowHttpsToHttp) {
    /** {@code http.headers}: the custom headers, lines {@code Name: value} joined by CRLF; absent means none. */
    public static final OptionKey<String> HEADERS = OptionKey.text("http.headers");
    /** {@code http.redirects}: {@code report} or {@code deny}; absent means allow (follow silently). */
    public static final OptionKey<String> REDIRECTS = OptionKey.text("http.redirects");
    /** {@code http.redirects.https-to-http}: true to follow https-to-http downgrades; absent means false. */
    public static final OptionKey<Boolean> HTTPS_TO_HTTP = OptionKey.flag("http.redirects.https-to-http", false);

    /** No custom headers; redirects followed silently, downgrades refused. */
    public static final HttpSettings DEFAULT = new HttpSettings(List.of(), Redirects.ALLOW, false);

    /** A bound on all custom headers together, well under what servers accept in a request head. */
    private static final int MAX_HEADER_CHARS = 16 * 1024;
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> MANAGED = Set.of("host", "range", "if-range", "content-length",
            "transfer-encoding", "connection", "accept-encoding", "expect", "upgrade", "te", "proxy-authorization");

    public HttpSettings {
        headerLines = List.copyOf(headerLines);
        java.util.Objects.requireNonNull(redirectPolicy, "redirectPolicy");
    }

    /**
     * The header and redirect settings of a job's options. Header lines are taken as stored; the transport checks
     * each before it sends it.
     *
     * @throws IllegalArgumentException when {@code http.redirects} is not allow, report or deny
     */
    public static HttpSettings from(JobOptions options) {
        List<String> lines = new ArrayList<>();
        String text = options.get(HEADERS);
        if (text != null) {
            for (String line : text.split("\r\n")) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        String mode = options.get(REDIRECTS);
        Redirects policy = Redirects.ALLOW;
        if (mode != null) {
            try {
                policy = Redirects.valueOf(mode.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(REDIRECTS.name() + " is '" + mode
                        + "': expected allow, report or deny");
            }
        }
        return new HttpSettings(lines, policy, options.get(HTTPS_TO_HTTP));
    }

    /** These options with these settings in them; defaults are removed. */
    public JobOptions writeTo(JobOptions options) {
        return writeRedirects(writeHeaders(options, headerLines), redirectPolicy, allowHttpsToHttp);
    }

    /** True when {@code optionName} is one of these settings' options. */
    public static boolean owns(String optionName) {
        return optionName.equals(HEADERS.name()) || optionName.equals(REDIRECTS.name())
                || optionName.equals(HTTPS_TO_HTTP.name());
    }

    private static JobOptions writeHeaders(JobOptions options, List<String> lines) {
        return options.with(HEADERS, lines.isEmpty() ? null : String.join("\r\n", lines));
    }

    private static JobOptions writeRedirects(JobOptions options, Redirects policy, boolean allowHttpsToHttp) {
        return options.with(REDIRECTS, policy == Redirects.ALLOW ? null : policy.label())
                .with(HTTPS_TO_HTTP, allowHttpsToHttp ? Boolean.TRUE : null);
    }

    /** The change that sets a job's proxy usage; checks the lists first ({@link ProxySettings#checked}). */
    public static UnaryOperator<JobOptions> proxy(ProxyUsage usage, List<String> proxies, List<String> bypass) {
        ProxySettings settings = ProxySettings.checked(usage, proxies, bypass);
        return settings::writeTo;
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
        List<String> stripped = lines.stream().map(String::strip).toList();
        if (String.join("\r\n", stripped).length() > MAX_HEADER_CHARS) {
            throw JbitsException.invalidArgument("custom headers are limited to " + MAX_HEADER_CHARS
                    + " characters in all");
        }
        return o -> writeHeaders(o, stripped);
    }

    /** Why {@code line} cannot be a custom request header, or null when it can. */
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
        return o -> writeRedirects(o, policy, allowHttpsToHttp);
    }

    /** The change that replaces a job's TLS settings; checks paths and error names first. */
    public static UnaryOperator<JobOptions> tls(TlsOptions tls) {
        TlsSettings settings = TlsSettings.checked(tls);
        return settings::writeTo;
    }
}
