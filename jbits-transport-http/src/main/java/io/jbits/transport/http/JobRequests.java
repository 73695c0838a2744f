package io.jbits.transport.http;

import io.jbits.spi.TransferFailure;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.HttpRequest;

/**
 * Prepares a request of a job for a client built by {@link HttpClientFactory}: the job's headers on the request, and
 * the context that carries its credentials, proxy, TLS set-up and connection key ({@link JobHttp}). The BITS upload
 * client uses it so that uploads honour the same job options as downloads. Shared inside this module; not an API.
 *
 * <p>A context is lent to one request at a time and comes back with {@link #release}, so that the packets of an
 * upload share the authentication state: after the first challenge, credentials go with each packet at once instead
 * of after a 401 to a fragment whose body the server does not read. HttpClient's contexts are not safe for two
 * requests at once, and two jobs of one owner to one server with the same options run side by side, so a request
 * that finds every such context lent out gets a new one.
 */
public final class JobRequests {
    /** At most this many owner, server and options keys keep contexts, the least recently used going first. */
    private static final int MAX_KEYS = 256;
    /** At most this many idle contexts are kept under one key: as many as its jobs' requests at once, usually. */
    private static final int MAX_IDLE_PER_KEY = 8;

    private final HttpTransportConfig config;
    private final TlsContexts tlsContexts = new TlsContexts();
    private final Map<String, Deque<HttpClientContext>> idle = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<HttpClientContext>> eldest) {
            return size() > MAX_KEYS;
        }
    };

    /** The context lent to one request, and the key it goes back under. */
    public record Lease(HttpClientContext context, String key) {
    }

    public JobRequests(HttpTransportConfig config) {
        this.config = config;
    }

    /**
     * Adds the job's headers to {@code request} for {@code uri} and lends the context to execute it with; give it
     * back with {@link #release} once the answer is read.
     *
     * @param optionsJson the job's options ("{}" when none)
     * @throws TransferFailure (fatal) when the job's HTTP options cannot be used
     */
    public Lease prepare(HttpRequest request, URI uri, String owner, String optionsJson) throws TransferFailure {
        JobHttp job = JobHttp.of(uri, optionsJson, config);
        job.addHeaders(request, uri);
        String key = owner + "\u0000" + uri.getScheme() + "://" + uri.getRawAuthority() + "\u0000" + optionsJson;
        HttpClientContext context;
        synchronized (idle) {
            Deque<HttpClientContext> contexts = idle.get(key);
            context = contexts == null ? null : contexts.pollFirst();
        }
        return new Lease(context != null ? context : job.newContext(owner, tlsContexts), key);
    }

    /** Takes back a context lent by {@link #prepare}, for the next request under its key. */
    public void release(Lease lease) {
        synchronized (idle) {
            Deque<HttpClientContext> contexts = idle.computeIfAbsent(lease.key(), k -> new ArrayDeque<>());
            if (contexts.size() < MAX_IDLE_PER_KEY) {
                contexts.addFirst(lease.context());
            }
        }
    }
}
