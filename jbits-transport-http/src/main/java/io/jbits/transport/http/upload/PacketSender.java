package io.jbits.transport.http.upload;

import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.bup.Ack;
import io.jbits.bup.Headers;
import io.jbits.bup.PacketType;
import io.jbits.bup.Protocol;
import io.jbits.spi.TransferFailure;
import io.jbits.transport.http.HttpClientFactory;
import io.jbits.transport.http.HttpTransportConfig;
import io.jbits.transport.http.JobRequests;
import io.jbits.transport.http.LazyClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

/**
 * Sends one {@code BITS_POST} packet and reads its Ack, on a pooled keep-alive connection of the packet's owner
 * (HttpClient's connection "user token", as {@code HttpTransport} does for downloads), so the fragments of an upload
 * follow each other on one connection and owners never share one.
 */
final class PacketSender implements AutoCloseable {

    /** Ack bodies are empty; an error page up to this size is read to keep the connection, a longer one is not. */
    private static final int MAX_DRAIN_BYTES = 64 * 1024;

    /** Made by the first packet: an idle service holds no client. */
    private final LazyClient client;
    private final JobRequests jobs;

    private PacketSender(LazyClient client, JobRequests jobs) {
        this.client = client;
        this.jobs = jobs;
    }

    /** A sender with its own connection pool, configured as the download transport's. */
    static PacketSender create(HttpTransportConfig config) {
        return create(config, null);
    }

    /** The same, resolving host names with {@code dnsResolver} (null: the system's), so tests stay on loopback. */
    static PacketSender create(HttpTransportConfig config, DnsResolver dnsResolver) {
        return new PacketSender(new LazyClient(() -> HttpClientFactory.build(config, dnsResolver, null,
                Protocol.METHOD)), new JobRequests(config));
    }

    /**
     * Sends a packet of {@code type} to {@code uri} and returns its Ack.
     *
     * @param options the job's options: credentials, proxy, TLS settings and extra headers
     * @param body the Fragment's body, or null for the empty body of every other packet
     * @param headers further header names and values, in pairs; a null value leaves its header out
     * @throws IOException as HttpClient throws it (the caller classifies it)
     * @throws TransferFailure when the job's HTTP options cannot be used
     */
    Ack send(URI uri, String owner, String options, PacketType type, HttpEntity body, String... headers)
            throws IOException, TransferFailure {
        HttpUriRequestBase post = new HttpUriRequestBase(Protocol.METHOD, uri);
        post.setHeader(Headers.PACKET_TYPE, type.wireName());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            if (headers[i + 1] != null) {
                post.setHeader(headers[i], headers[i + 1]);
            }
        }
        // An entity, even an empty one, makes HttpClient send the Content-Length that every packet needs.
        post.setEntity(body != null ? body : new ByteArrayEntity(new byte[0], null));
        JobRequests.Lease lease = jobs.prepare(post, uri, owner, options);
        try {
            ClassicHttpResponse response;
            try {
                response = client.get().executeOpen(HttpHost.create(uri), post, lease.context());
            } catch (IllegalArgumentException | IllegalStateException e) {
                // HttpClient's head parser throws these for some malformed answers ("HTTP/1.1 000"): the server's
                // fault
                throw new TransferFailure(new JobError(BitsCodes.BG_E_INVALID_SERVER_RESPONSE,
                        ErrorContext.REMOTE_FILE, type.wireName() + " to " + uri + ": invalid HTTP answer ("
                        + e.getMessage() + ")", null, null, true), e);
            }
            Ack ack = ack(response);
            finish(post, response);
            return ack;
        } finally {
            jobs.release(lease);
        }
    }

    /** Reads the Ack of {@code response}; its body is not looked at. */
    static Ack ack(ClassicHttpResponse response) {
        return Ack.read(response.getCode(), response.getReasonPhrase(), name -> {
            Header header = response.getFirstHeader(name);
            return header == null ? null : header.getValue();
        });
    }

    /** Reads a short body to its end so the connection is reused; drops the connection instead for a long one. */
    private static void finish(HttpUriRequestBase post, ClassicHttpResponse response) {
        HttpEntity entity = response.getEntity();
        try {
            if (entity != null) {
                if (entity.getContentLength() > MAX_DRAIN_BYTES) {
                    post.cancel();
                } else {
                    try (InputStream in = entity.getContent()) {
                        long drained = 0;
                        byte[] sink = new byte[8192];
                        for (int n = in.read(sink); n >= 0 && drained <= MAX_DRAIN_BYTES; n = in.read(sink)) {
                            drained += n;
                        }
                        if (drained > MAX_DRAIN_BYTES) {
                            post.cancel();
                        }
                    }
                }
            }
        } catch (IOException e) {
            post.cancel();
        } finally {
            try {
                response.close();
            } catch (IOException e) {
                // The connection is gone either way.
            }
        }
    }

    /** Closes the connection pool. */
    @Override
    public void close() throws IOException {
        client.close();
    }

    /**
     * Resends a packet once when a kept-alive connection turns out closed by the server before it answered. Every
     * packet is safe to resend: Ping and the session ends are idempotent, a repeated fragment is trimmed by the
     * server, and a Create-Session whose Ack was lost leaves at most a session the server expires.
     */
}
