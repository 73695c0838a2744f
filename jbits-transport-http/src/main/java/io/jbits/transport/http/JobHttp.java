package io.jbits.transport.http;

import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.spi.CredentialSettings;
import io.jbits.spi.HttpSettings;
import io.jbits.spi.JobOptions;
import io.jbits.spi.TlsSettings;
import io.jbits.spi.TransferFailure;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * What one job's options say about its HTTP requests: credentials, proxy, TLS, extra headers and redirect policy,
 * read once per file request, and the HttpClient context that carries them into HttpClient (which reads the proxy
 * in {@link RoutePlanner} and the TLS set-up in {@link TlsStrategy}).
 *
 * <p>The context's connection "user token" is a {@link ConnectionKey}: owner, credential set, proxy and TLS
 * settings. The pool leases a kept-alive connection only to a request with an equal token, which is WinHTTP 5.1's
 * isolation (docs/bits.md §1.2): a connection opened or authenticated for one owner and credential set never carries
 * another's request.
 */
final class JobHttp {
    private static final String PROXY_ATTRIBUTE = "io.jbits.http.proxy";
    private static final String TLS_ATTRIBUTE = "io.jbits.http.tls";
    /** Which of the candidate proxies the next request uses (0 = the first); see {@link #useProxy}. */
    private static final String PROXY_INDEX_ATTRIBUTE = "io.jbits.http.proxy-index";
    /** Headers the transport manages itself; a job cannot set them. */
    private static final Set<String> MANAGED = Set.of("host", "range", "if-range", "content-length",
            "transfer-encoding", "connection", "accept-encoding", "expect", "upgrade", "te", "proxy-authorization");
    /** Headers that carry secrets: sent only to the job's own host, as credentials are. */
    private static final Set<String> SENSITIVE = Set.of("authorization", "cookie");

    final JobCredentials credentials;
    final ProxyRoutes proxy;
    final TlsSetup tls;
    final List<BasicHeader> headers;
    final RedirectPolicy redirects;
    private final String host;
    private final int port;
    /** The job's logins, for {@link #forRequest}. */
    private final CredentialSettings logins;

    private JobHttp(JobCredentials credentials, ProxyRoutes proxy, TlsSetup tls, List<BasicHeader> headers,
                    RedirectPolicy redirects, String host, int port, CredentialSettings logins) {
        this.credentials = credentials;
        this.proxy = proxy;
        this.tls = tls;
        this.headers = headers;
        this.redirects = redirects;
        this.host = host;
        this.port = port;
        this.logins = logins;
    }

    /**
     * These settings for one more request: the same, read once per job, but with credentials of the request's own
     * when the job has any ({@link JobCredentials} remembers the logins it made and the ones that failed, for one
     * request's answer).
     */
    JobHttp forRequest() {
        return credentials.isEmpty() ? this
                : new JobHttp(JobCredentials.of(logins, host, port, proxy), proxy, tls, headers, redirects, host, port,
                        logins);
    }

    /**
     * Reads the options of a job whose file is at {@code uri}.
     *
     * @throws TransferFailure (fatal) when an option cannot be used: {@code BG_E_INVALID_PROXY_INFO} for the
     *     proxy settings, {@code E_INVALIDARG} for the rest
     */
    static JobHttp of(URI uri, String optionsJson, HttpTransportConfig config) throws TransferFailure {
        JobOptions options;
        try {
            options = JobOptions.parse(optionsJson);
        } catch (IllegalArgumentException e) {
            throw invalid("the job's options are not readable: " + e.getMessage());
        }
        ProxyRoutes proxy;
        try {
            proxy = ProxyRoutes.of(options, config.environment());
        } catch (ProxyRoutes.InvalidProxyException e) {
            throw new TransferFailure(new JobError(BitsCodes.BG_E_INVALID_PROXY_INFO, ErrorContext.GENERAL_TRANSPORT,
                    e.getMessage(), null, null, false));
        }
        TlsSetup tls;
        HttpSettings http;
        try {
            tls = TlsSetup.of(config.caFile(), TlsSettings.from(options));
            http = HttpSettings.from(options);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        CredentialSettings logins = CredentialSettings.from(options);
        return new JobHttp(JobCredentials.of(logins, uri.getHost(), port, proxy), proxy, tls,
                headers(http.headerLines()), RedirectPolicy.of(http), uri.getHost(), port, logins);
    }

    /**
     * Checks and splits the job's custom header lines, {@code Name: value} each.
     *
     * @throws TransferFailure naming the bad line
     */
    static List<BasicHeader> headers(List<String> lines) throws TransferFailure {
        List<BasicHeader> out = new ArrayList<>();
        for (String line : lines) {
            String problem = headerProblem(line);
            if (problem != null) {
                throw invalid(problem);
            }
            int colon = line.indexOf(':');
            out.add(new BasicHeader(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
        }
        return List.copyOf(out);
    }

    /** Why {@code line} cannot be a custom request header, or null when it can. */
    static String headerProblem(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return "header '" + line + "' is not 'Name: value'";
        }
        String name = line.substring(0, colon).trim();
        if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            return "header name '" + name + "' has characters HTTP does not allow";
        }
        if (line.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            return "header '" + name + "' holds a line break";
        }
        if (MANAGED.contains(name.toLowerCase(Locale.ROOT))) {
            return "header '" + name + "' is set by jbits itself and cannot be replaced";
        }
        return null;
    }

    /** True when {@code uri} is at the job's own host and port, the only place its secrets go. */
    boolean addsSecretsTo(URI uri) {
        int p = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return host.equalsIgnoreCase(uri.getHost()) && p == port;
    }

    /** Adds the job's headers to a request for {@code uri}; secrets only when it is the job's own host and port. */
    void addHeaders(HttpRequest request, URI uri) {
        boolean ownHost = addsSecretsTo(uri);
        for (BasicHeader h : headers) {
            if (ownHost || !SENSITIVE.contains(h.getName().toLowerCase(Locale.ROOT))) {
                request.addHeader(h);
            }
        }
    }

    /** The HttpClient context of one file request of {@code owner}'s job. */
    HttpClientContext newContext(String owner, TlsContexts tlsContexts) throws TransferFailure {
        HttpClientContext context = HttpClientContext.create();
        context.setUserToken(new ConnectionKey(owner, credentials.fingerprint(), proxy.toString(),
                tls.isDefault() ? "" : tls.toString()));
        context.setCredentialsProvider(credentials);
        context.setAttribute(PROXY_ATTRIBUTE, proxy);
        if (!tls.isDefault() || tls.serviceCaFile() != null) {
            try {
                context.setAttribute(TLS_ATTRIBUTE, tlsContexts.strategyFor(tls));
            } catch (IOException | GeneralSecurityException e) {
                throw new TransferFailure(new JobError(BitsCodes.E_SECURE_FAILURE, ErrorContext.GENERAL_TRANSPORT,
                        "cannot set up TLS for this job: " + e.getMessage(), null, null, false), e);
            }
        }
        return context;
    }

    /** Makes the next request of {@code context} use the {@code index}-th candidate proxy of its target. */
    static void useProxy(HttpClientContext context, int index) {
        context.setAttribute(PROXY_INDEX_ATTRIBUTE, index);
    }

    /** The proxy a request for {@code uri} with {@code context} goes through, or null when it goes direct. */
    HttpHost proxyOf(URI uri, HttpContext context) {
        List<HttpHost> candidates = proxy.proxiesFor(uri.getScheme(), uri.getHost());
        return candidates.isEmpty() ? null : candidates.get(Math.min(index(context), candidates.size() - 1));
    }

    private static int index(HttpContext context) {
        return context != null && context.getAttribute(PROXY_INDEX_ATTRIBUTE) instanceof Integer i ? i : 0;
    }

    private static TransferFailure invalid(String message) {
        return new TransferFailure(new JobError(BitsCodes.E_INVALIDARG, ErrorContext.GENERAL_TRANSPORT, message, null,
                null, false));
    }

    /**
     * The connection "user token": pooled connections go back to the pool tagged with it and are leased again only
     * for an equal token. The credential part is a digest, never the secrets.
     */
    record ConnectionKey(String owner, String credentials, String proxy, String tls) {
    }

    /** Routes each request through the proxy its job's settings pick for the target, or directly. */
    static final class RoutePlanner extends DefaultRoutePlanner {
        RoutePlanner() {
            super(null);
        }

        @Override
        protected HttpHost determineProxy(HttpHost target, HttpContext context) {
            Object settings = context == null ? null : context.getAttribute(PROXY_ATTRIBUTE);
            if (!(settings instanceof ProxyRoutes p)) {
                return null;
            }
            List<HttpHost> candidates = p.proxiesFor(target.getSchemeName(), target.getHostName());
            return candidates.isEmpty() ? null : candidates.get(Math.min(index(context), candidates.size() - 1));
        }
    }

    /**
     * Upgrades to TLS with the job's own set-up when it has one, else with the service's. The service's is made at
     * the first upgrade that needs it: the JDK's trust store is a tenth of a second of a service's start, and many
     * services never fetch over HTTPS.
     */
    static final class TlsStrategy implements TlsSocketStrategy {
        private final java.util.function.Supplier<TlsSocketStrategy> makeFallback;
        private volatile TlsSocketStrategy fallback;

        TlsStrategy(java.util.function.Supplier<TlsSocketStrategy> makeFallback) {
            this.makeFallback = makeFallback;
        }

        @Override
        public javax.net.ssl.SSLSocket upgrade(java.net.Socket socket, String target, int port, Object attachment,
                                               HttpContext context) throws IOException {
            Object own = context == null ? null : context.getAttribute(TLS_ATTRIBUTE);
            TlsSocketStrategy s = own instanceof TlsSocketStrategy t ? t : fallback();
            return s.upgrade(socket, target, port, attachment, context);
        }

        private TlsSocketStrategy fallback() {
            TlsSocketStrategy f = fallback;
            if (f == null) {
                synchronized (this) {
                    f = fallback;
                    if (f == null) {
                        f = makeFallback.get();
                        fallback = f;
                    }
                }
            }
            return f;
        }
    }
}
