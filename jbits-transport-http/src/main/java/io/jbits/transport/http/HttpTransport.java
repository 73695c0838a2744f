package io.jbits.transport.http;

import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.Transport;
import io.jbits.spi.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;

/**
 * Downloads over HTTP/1.1 and HTTPS with Apache HttpClient 5 (classic, blocking: the engine runs each transfer on
 * its own virtual thread).
 *
 * <p>What {@link #open} sends and how it reads the answer (docs/bits.md §3.4–3.6):
 * <ul>
 *   <li>{@code GET} with {@code Accept-Encoding: identity}, so byte offsets are the entity's. From an offset above 0
 *       it adds {@code Range: bytes=offset-} and {@code If-Range} with the stored strong ETag, else the stored
 *       Last-Modified, else nothing (the engine then compares sizes).</li>
 *   <li>206: {@code Content-Range} must start at the requested offset, else {@code BG_E_INVALID_SERVER_RESPONSE}
 *       (transient, like WinHTTP's invalid-response error). 200: the whole entity, body offset 0, whether the server
 *       ignored {@code Range} or {@code If-Range} found a changed entity; the engine restarts the file.</li>
 *   <li>416 to a range request: the entity is now shorter than what we hold, so it changed:
 *       {@code BG_E_REMOTE_FILE_CHANGED}, transient, context REMOTE_FILE; the engine restarts from zero. The one
 *       exception is a 416 saying the entity is exactly {@code offset} bytes long: nothing is missing, and the
 *       answer is an empty body at that offset.</li>
 *   <li>Other statuses: {@link JobError#http} (408, 409 and 5xx but 501/505 transient, the rest fatal).</li>
 *   <li>Redirects (301, 302, 303, 307, 308) are followed here, not by HttpClient, under {@link RedirectPolicy}:
 *       at most 10, no loops, no https→http downgrade, nothing but http(s).</li>
 *   <li>Unknown host: {@code ERROR_WINHTTP_NAME_NOT_RESOLVED}, transient. TLS rejected: {@code
 *       ERROR_WINHTTP_SECURE_FAILURE}, fatal. Other network failures are plain {@link IOException}s.</li>
 * </ul>
 *
 * <p>A job's options add credentials (Basic, Digest, NTLM, Negotiate; for the server and for the proxy), a proxy
 * (the environment's, none, or the job's list), TLS settings (extra CA, client certificate, accepted certificate
 * errors), extra headers and the redirect policy: {@link JobHttp} reads them. A final 401 or 407 is a fatal error
 * that says which schemes were offered and which credentials the job has.
 *
 * <p>One connection pool serves every job, but a connection is only reused by requests with the same owner,
 * credential set, proxy and TLS settings ({@link JobHttp.ConnectionKey}, HttpClient's connection "user token"):
 * the WinHTTP 5.1 session isolation. Cookies are not kept at all (WinHTTP has no cookie jar).
 */
public final class HttpTransport implements Transport {
    /** Made by the first request ({@link LazyClient}): an idle service holds no client. */
    private final LazyClient client;
    private final HttpTransportConfig config;
    private final TlsContexts tlsContexts = new TlsContexts();
    /** The longest a whole answer head may take (the socket timeout only bounds each silence). */
    private final Duration headDeadline;
    /**
     * On a virtual thread: it waits nearly all the time, and an idle service keeps no platform thread for it. A
     * deadline is cancelled as soon as its answer head arrives, and leaves the queue then: the thread would
     * otherwise wake at every cancelled deadline, a response timeout after each request.
     */
    private final ScheduledExecutorService deadlines = deadlineTimer();
    /**
     * The settings read last ({@link #settings}), the least recently used dropped beyond {@link #RECENT_SETTINGS}:
     * a few jobs run at once, so a few entries serve them, and a changed option is a new key.
     */
    private final Map<SettingsKey, JobSettings> recentSettings = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SettingsKey, JobSettings> eldest) {
            return size() > RECENT_SETTINGS;
        }
    };
    private static final int RECENT_SETTINGS = 32;

    private HttpTransport(LazyClient client, HttpTransportConfig config) {
        this.client = client;
        this.config = config;
        this.headDeadline = config.responseTimeout();
    }

    /** Creates a transport with its own connection pool; {@link #close()} releases it. */
    public static HttpTransport create(HttpTransportConfig config) {
        return create(config, null, null);
    }

    /** Creates a transport resolving names with {@code dnsResolver} and trusting {@code sslContext} (null: JDK's). */
    static HttpTransport create(HttpTransportConfig config, DnsResolver dnsResolver, SSLContext sslContext) {
        return new HttpTransport(new LazyClient(() -> HttpClientFactory.build(config, dnsResolver, sslContext)),
                config);
    }

    @Override
    public boolean handles(URI remote) {
        String scheme = remote.getScheme();
        return scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"));
    }

    @Override
    public RemoteBody open(RemoteRequest request) throws IOException, TransferFailure {
        if (!handles(request.remote()) || request.remote().getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL with a host: " + request.remote());
        }
        JobSettings settings = settings(request.remote(), request.options());
        JobHttp job = settings.http().forRequest();
        RedirectPolicy policy = job.redirects;
        HttpClientContext context = job.newContext(request.owner(), tlsContexts);
        ReceiveBuffers.apply(context, settings.receiveBufferBytes());
        List<URI> chain = new ArrayList<>();
        URI uri = RedirectPolicy.withoutFragment(request.remote());
        // Bounded: the policy refuses the hop after maxRedirects, so at most maxRedirects + 1 requests are made.
        for (int attempt = 0; attempt <= policy.maxRedirects() + 1; attempt++) {
            HttpGet get = newGet(uri, request);
            job.addHeaders(get, uri);
            ClassicHttpResponse response = execute(get, context, uri, job);
            chain.add(uri);
            String location = isRedirect(response.getCode()) ? header(response, "Location") : null;
            if (location == null) {
                try {
                    if (response.getCode() == 401 || response.getCode() == 407) {
                        throw AuthFailures.of(response, uri, job, context);
                    }
                    HttpRemoteBody body = answer(request, uri, get, response);
                    return policy.mode() == RedirectPolicy.Mode.REPORT ? body.reportingFinalUri() : body;
                } catch (TransferFailure | RuntimeException e) {
                    HttpExchanges.discard(get, response);
                    throw e;
                }
            }
            HttpExchanges.discard(get, response);
            uri = policy.next(uri, response.getCode(), location, chain);
        }
        throw new IllegalStateException("redirect policy let more than " + policy.maxRedirects() + " hops through");
    }

    /** A job's options as its requests use them: read once, not once per file. */
    private record JobSettings(JobHttp http, long receiveBufferBytes) {
    }

    /** What {@link #settings} were read for: a job's options and the host its file is on. */
    private record SettingsKey(String options, String scheme, String host, int port) {
    }

    /**
     * The settings of a job's options for a file at {@code uri}: from {@link #recentSettings} when a file of the job
     * on that host asked before, else read (and kept). A job's files share one options string until it changes, so
     * a job of thousands of files reads it once, not per file: that reading was about 3% of a small file's CPU, and
     * its compiled code a tenth of what the JIT compiler did while a new service warmed up.
     */
    private JobSettings settings(URI uri, String options) throws TransferFailure {
        SettingsKey key = new SettingsKey(options, uri.getScheme(), uri.getHost(), uri.getPort());
        synchronized (recentSettings) {
            JobSettings known = recentSettings.get(key);
            if (known != null) {
                return known;
            }
        }
        JobSettings read = new JobSettings(JobHttp.of(uri, options, config), ReceiveBuffers.bytes(options));
        synchronized (recentSettings) {
            recentSettings.put(key, read);
        }
        return read;
    }

    private static HttpGet newGet(URI uri, RemoteRequest request) {
        HttpGet get = new HttpGet(uri);
        get.setHeader("Accept-Encoding", "identity");
        if (request.offset() > 0) {
            get.setHeader("Range", "bytes=" + request.offset() + "-");
            String ifRange = ifRange(request.known());
            if (ifRange != null) {
                get.setHeader("If-Range", ifRange);
            }
        }
        return get;
    }

    /** The validator to send with If-Range: a strong ETag, else the Last-Modified date, else none. */
    static String ifRange(Validator known) {
        if (known.etag() != null && isStrong(known.etag())) {
            return known.etag();
        }
        return known.lastModified();
    }

    /**
     * Sends the request and waits for the answer's head. The socket timeout ends a silent server, but not one that
     * drips its head a byte at a time (slowloris): the whole head must arrive within the response timeout, or the
     * request is cancelled, which closes the connection. When the job's proxy cannot be reached, the request goes
     * to the next proxy of the job's list for this URL, as WinHTTP does, and fails (transiently) once none can be.
     */
    private ClassicHttpResponse execute(HttpGet get, HttpClientContext context, URI uri, JobHttp job)
            throws IOException, TransferFailure {
        List<HttpHost> proxies = job.proxy.proxiesFor(uri.getScheme(), uri.getHost());
        for (int i = 0; ; i++) {
            JobHttp.useProxy(context, i);
            AtomicBoolean late = new AtomicBoolean();
            ScheduledFuture<?> deadline = deadlines.schedule(() -> {
                late.set(true);
                get.cancel();
            }, headDeadline.toMillis(), TimeUnit.MILLISECONDS);
            try {
                return client.get().executeOpen(HttpHost.create(uri), get, context);
            } catch (IOException e) {
                if (late.get()) {
                    throw new IOException("GET " + uri + ": no complete answer head from " + Failures.authority(uri)
                            + " within the response timeout (" + headDeadline.toSeconds() + " s)",
                            new SocketTimeoutException("answer head deadline"));
                }
                if (proxies.isEmpty() || !Failures.isConnectFailure(e)) {
                    throw Failures.whileRequesting(e, uri);
                }
                if (i + 1 < proxies.size()) {
                    get.reset();
                    continue;
                }
                String tried = String.join(", ", proxies.stream().map(HttpHost::toHostString).toList());
                throw new IOException("GET " + uri + ": cannot connect to proxy " + tried + " (" + e.getMessage()
                        + ")", e);
            } catch (IllegalArgumentException | IllegalStateException e) {
                // HttpClient's head parser throws these for some malformed answers ("HTTP/-1.1"): the server's fault
                throw Failures.malformedAnswer(e, uri);
            } finally {
                deadline.cancel(false);
            }
        }
    }

    private static HttpRemoteBody answer(RemoteRequest request, URI uri, HttpGet get, ClassicHttpResponse response)
            throws IOException, TransferFailure {
        int status = response.getCode();
        HttpEntity entity = response.getEntity();
        String etag = strongEtag(header(response, "ETag"));
        String lastModified = header(response, "Last-Modified");
        if (status == 200) {
            long length = entity == null ? 0 : entity.getContentLength();
            return new HttpRemoteBody(get, response, content(entity), 0, new Validator(etag, lastModified, length),
                    uri, length);
        }
        if (status == 206) {
            ContentRange range = contentRange(response, uri, request.offset());
            return new HttpRemoteBody(get, response, content(entity), range.first(),
                    new Validator(etag, lastModified, range.total()), uri, range.length());
        }
        if (status == 416 && request.offset() > 0) {
            long total = ContentRange.unsatisfiedTotal(header(response, "Content-Range"));
            if (total == request.offset()) {
                HttpExchanges.discard(get, response);
                return new HttpRemoteBody(get, response, null, request.offset(),
                        new Validator(etag, lastModified, total), uri, 0);
            }
            throw new TransferFailure(new JobError(BitsCodes.BG_E_REMOTE_FILE_CHANGED, ErrorContext.REMOTE_FILE,
                    "HTTP 416 for bytes from " + request.offset() + " of " + uri + ": the remote file changed"
                            + (total >= 0 ? " (now " + total + " bytes)" : ""), 416, null, true));
        }
        throw new TransferFailure(JobError.http(status, "HTTP " + status + reason(response) + " for " + uri,
                null));
    }

    private static ContentRange contentRange(ClassicHttpResponse response, URI uri, long offset)
            throws TransferFailure {
        String header = header(response, "Content-Range");
        ContentRange range;
        try {
            range = ContentRange.parse(header);
        } catch (IllegalArgumentException e) {
            throw invalidResponse("HTTP 206 for " + uri + ": " + e.getMessage());
        }
        if (range.first() != offset) {
            throw invalidResponse("HTTP 206 for " + uri + " starts at byte " + range.first() + ", asked for "
                    + offset + " (Content-Range: " + header + ")");
        }
        HttpEntity entity = response.getEntity();
        long length = entity == null ? 0 : entity.getContentLength();
        if (length >= 0 && length != range.length()) {
            throw invalidResponse("HTTP 206 for " + uri + " has Content-Length " + length + " but Content-Range "
                    + header);
        }
        return range;
    }

    private static TransferFailure invalidResponse(String message) {
        return new TransferFailure(new JobError(BitsCodes.BG_E_INVALID_SERVER_RESPONSE, ErrorContext.REMOTE_FILE,
                message, null, null, true));
    }

    private static InputStream content(HttpEntity entity) throws IOException {
        return entity == null ? null : entity.getContent();
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean isStrong(String etag) {
        return !etag.regionMatches(true, 0, "W/", 0, 2);
    }

    /** The ETag if it is strong; weak ones cannot validate a byte range. */
    private static String strongEtag(String etag) {
        return etag == null || !isStrong(etag) ? null : etag;
    }

    private static String header(ClassicHttpResponse response, String name) {
        Header h = response.getFirstHeader(name);
        return h == null ? null : h.getValue();
    }

    private static String reason(ClassicHttpResponse response) {
        String reason = response.getReasonPhrase();
        return reason == null || reason.isBlank() ? "" : " " + reason.trim();
    }

    private static ScheduledExecutorService deadlineTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofVirtual().name("jbits-http-deadlines").factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Closes the client and its connection pool; bodies still open fail on their next read. */
    @Override
    public void close() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }

}
