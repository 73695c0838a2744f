package io.jbits.transport.http;

import io.jbits.spi.TransferFailure;
import java.net.URI;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.HttpRequest;

/**
 * Prepares a request of a job for a client built by {@link HttpClientFactory}: the job's headers on the request, and
 * the context that carries its credentials, proxy, TLS set-up and connection key ({@link JobHttp}). The BITS upload
 * client uses it so that uploads honour the same job options as downloads. Shared inside this module; not an API.
 */
public final class JobRequests {
    private final HttpTransportConfig config;
    private final TlsContexts tlsContexts = new TlsContexts();
    /**
     * One context per job, server and options, so that the packets of an upload share the authentication state:
     * after the first challenge, credentials go with each packet at once instead of after a 401 to a fragment whose
     * body the server does not read. Bounded; a job's packets are sequential.
     */
    private final java.util.Map<String, HttpClientContext> contexts = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, HttpClientContext> eldest) {
                    return size() > 256;
                }
            });

    public JobRequests(HttpTransportConfig config) {
        this.config = config;
    }

    /**
     * Adds the job's headers to {@code request} for {@code uri} and returns the context to execute it with.
     *
     * @param optionsJson the job's options ("{}" when none)
     * @throws TransferFailure (fatal) when the job's HTTP options cannot be used
     */
    public HttpClientContext prepare(HttpRequest request, URI uri, String owner, String optionsJson)
            throws TransferFailure {
        JobHttp job = JobHttp.of(uri, optionsJson, config);
        job.addHeaders(request, uri);
        String key = owner + "\u0000" + uri.getScheme() + "://" + uri.getRawAuthority() + "\u0000" + optionsJson;
        HttpClientContext context = contexts.get(key);
        if (context == null) {
            context = job.newContext(owner, tlsContexts);
            contexts.put(key, context);
        }
        return context;
    }
}
