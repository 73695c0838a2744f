package io.jbits.transport.http;

import io.jbits.api.ProxyUsage;
import io.jbits.spi.JobOptions;
import io.jbits.spi.ProxySettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hc.core5.http.HttpHost;

/**
 * Which proxy, if any, a job's request to a host goes through: BITS's proxy usage modes (docs/bits.md §6.3) as the
 * job's {@link ProxySettings} choose them.
 *
 * <ul>
 *   <li>{@code preconfig} (the default): the service's environment, as curl and most Unix tools read it:
 *       {@code http_proxy} for http URLs, {@code https_proxy} for https URLs (the lower-case name wins over the
 *       upper-case one), and {@code no_proxy}: comma-separated host names that also cover their subdomains, or
 *       {@code *} for every host.</li>
 *   <li>{@code none}: always direct.</li>
 *   <li>{@code override}: the job's list, entries {@code [http=|https=][http://]host[:port]} separated by commas or
 *       spaces (an entry with a protocol serves that protocol; one without serves the others; port 80 by default),
 *       and the job's bypass list: host names, {@code *.example.com} for subdomains, and {@code <local>} for any
 *       name without a dot.</li>
 * </ul>
 *
 * @param usage how the proxy is chosen
 * @param list the proxies of {@code override}, in order
 * @param bypass the hosts reached directly under {@code override} or {@code preconfig}
 */
record ProxyRoutes(ProxyUsage usage, List<Entry> list, List<String> bypass) {

    /**
     * One proxy of a list.
     *
     * @param protocol the URL scheme it serves ("http", "https"), or null for every scheme without its own entry
     * @param proxy the proxy's host and port (scheme http: the client speaks plain HTTP to it, CONNECT for https)
     */
    record Entry(String protocol, HttpHost proxy) {
    }

    static final ProxyRoutes DIRECT = new ProxyRoutes(ProxyUsage.NONE, List.of(), List.of());

    ProxyRoutes {
        list = List.copyOf(list);
        bypass = List.copyOf(bypass);
    }

    /**
     * The routes of a job's options; {@code environment} is the service's, for {@code preconfig}.
     *
     * @throws InvalidProxyException when the usage is unknown or a list entry is not a proxy address
     */
    static ProxyRoutes of(JobOptions options, Map<String, String> environment) throws InvalidProxyException {
        ProxySettings settings;
        try {
            settings = ProxySettings.from(options);
        } catch (IllegalArgumentException e) {
            throw new InvalidProxyException(e.getMessage());
        }
        return of(settings, environment);
    }

    /**
     * The routes of a job's settings; {@code environment} is the service's, for {@code preconfig}.
     *
     * @throws InvalidProxyException when override has no proxies or a list entry is not a proxy address
     */
    static ProxyRoutes of(ProxySettings settings, Map<String, String> environment) throws InvalidProxyException {
        return switch (settings.usage()) {
            case NONE -> DIRECT;
            case OVERRIDE -> {
                if (settings.proxies().isEmpty()) {
                    throw new InvalidProxyException("proxy usage override needs a proxy list ("
                            + ProxySettings.LIST.name() + ")");
                }
                List<Entry> entries = new ArrayList<>();
                for (String item : settings.proxies()) {
                    entries.add(entry(item));
                }
                yield new ProxyRoutes(ProxyUsage.OVERRIDE, entries, settings.bypass());
            }
            case PRECONFIG -> preconfig(environment);
        };
    }

    private static ProxyRoutes preconfig(Map<String, String> env) throws InvalidProxyException {
        List<Entry> entries = new ArrayList<>();
        for (String protocol : List.of("http", "https")) {
            String value = variable(env, protocol + "_proxy");
            if (value != null) {
                Entry e = entry(value);
                entries.add(new Entry(protocol, e.proxy()));
            }
        }
        List<String> noProxy = new ArrayList<>();
        for (String item : split(variable(env, "no_proxy"))) {
            noProxy.add(item.startsWith(".") ? "*" + item : item.equals("*") ? "*" : "+" + item);
        }
        return entries.isEmpty() ? DIRECT : new ProxyRoutes(ProxyUsage.PRECONFIG, entries, noProxy);
    }

    /** The lower-case variable, else the upper-case one; blank counts as unset. */
    private static String variable(Map<String, String> env, String lowerName) {
        String v = env.get(lowerName);
        if (v == null || v.isBlank()) {
            v = env.get(lowerName.toUpperCase(Locale.ROOT));
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static Entry entry(String item) throws InvalidProxyException {
        String protocol = null;
        String rest = item;
        int eq = item.indexOf('=');
        if (eq > 0) {
            protocol = item.substring(0, eq).toLowerCase(Locale.ROOT);
            rest = item.substring(eq + 1);
            if (!protocol.equals("http") && !protocol.equals("https")) {
                throw new InvalidProxyException("proxy entry '" + item + "': the protocol must be http or https");
            }
        }
        if (!rest.contains("://")) {
            rest = "http://" + rest;
        }
        URI uri;
        try {
            uri = new URI(rest);
        } catch (java.net.URISyntaxException e) {
            throw new InvalidProxyException("proxy entry '" + item + "' is not host[:port] or http://host[:port]");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new InvalidProxyException("proxy entry '" + item + "': only http:// proxies are supported"
                    + " (https URLs go through them with CONNECT)");
        }
        if (uri.getHost() == null || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()
                && !uri.getRawPath().equals("/"))) {
            throw new InvalidProxyException("proxy entry '" + item + "' is not host[:port] or http://host[:port]");
        }
        return new Entry(protocol, new HttpHost("http", uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort()));
    }

    private static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String s : text.split("[,;\\s]+")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    /** The proxy for a request to {@code host} over {@code scheme}, or null to connect directly. */
    HttpHost proxyFor(String scheme, String host) {
        List<HttpHost> all = proxiesFor(scheme, host);
        return all.isEmpty() ? null : all.getFirst();
    }

    /**
     * Every proxy that may serve a request to {@code host} over {@code scheme}, to be tried in order (the next when
     * one cannot be reached): the entries for that scheme, else those without a scheme; none to connect directly.
     */
    List<HttpHost> proxiesFor(String scheme, String host) {
        if (list.isEmpty() || bypassed(host)) {
            return List.of();
        }
        List<HttpHost> own = new ArrayList<>();
        List<HttpHost> fallback = new ArrayList<>();
        for (Entry e : list) {
            if (scheme.equalsIgnoreCase(e.protocol())) {
                own.add(e.proxy());
            } else if (e.protocol() == null) {
                fallback.add(e.proxy());
            }
        }
        return own.isEmpty() ? fallback : own;
    }

    /** True when {@code host}:{@code port} is one of this job's proxies (proxy credentials go only there). */
    boolean isProxy(String host, int port) {
        for (Entry e : list) {
            if (e.proxy().getHostName().equalsIgnoreCase(host) && e.proxy().getPort() == port) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when {@code host} is reached directly. Bypass entries: {@code <local>} (no dot in the name),
     * {@code *} (every host), {@code *.suffix} (the suffix's subdomains and, for no_proxy, the suffix itself),
     * a name or address (that host; for no_proxy, with its subdomains, marked "+").
     */
    boolean bypassed(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        for (String raw : bypass) {
            String b = raw.toLowerCase(Locale.ROOT);
            if (b.equals("*")) {
                return true;
            } else if (b.equals("<local>")) {
                if (!h.contains(".") && !h.contains(":")) {
                    return true;
                }
            } else if (b.startsWith("*.")) {
                String suffix = b.substring(1);
                if (h.endsWith(suffix) || (usage == ProxyUsage.PRECONFIG && h.equals(suffix.substring(1)))) {
                    return true;
                }
            } else if (b.startsWith("+")) {
                String name = b.substring(1);
                if (h.equals(name) || h.endsWith("." + name)) {
                    return true;
                }
            } else if (h.equals(b)) {
                return true;
            }
        }
        return false;
    }

    /** A proxy list or mode that cannot be used: BITS finds these at run time ({@code BG_E_INVALID_PROXY_INFO}). */
    static final class InvalidProxyException extends Exception {
        InvalidProxyException(String message) {
            super(message);
        }
    }
}
