package io.jbits.transport.http;

import java.io.Closeable;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/**
 * An HttpClient made by its first request, not when the service starts. An idle service then holds no client, no
 * connection pool and none of their 290 classes (docs/systemd.md, "Threads and memory"). Once made, the client serves
 * until {@link #close()}; a request after that fails as one on a closed client would. Shared inside this module; not
 * an API.
 */
public final class LazyClient implements Closeable {
    private final Supplier<CloseableHttpClient> make;
    private volatile CloseableHttpClient client;
    private boolean closed;

    /** A client that {@code make} builds at the first {@link #get()}. */
    public LazyClient(Supplier<CloseableHttpClient> make) {
        this.make = Objects.requireNonNull(make, "make");
    }

    /** The client, made now if this is the first request. */
    public CloseableHttpClient get() throws IOException {
        CloseableHttpClient made = client;
        if (made != null) {
            return made;
        }
        synchronized (this) {
            if (closed) {
                throw new IOException("the HTTP client is closed");
            }
            if (client == null) {
                client = Objects.requireNonNull(make.get(), "the HTTP client made");
            }
            return client;
        }
    }

    /** Closes the client if one was made; later requests fail. */
    @Override
    public void close() throws IOException {
        CloseableHttpClient made;
        synchronized (this) {
            closed = true;
            made = client;
            client = null;
        }
        if (made != null) {
            made.close();
        }
    }
}
