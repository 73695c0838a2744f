package io.jbits.transport.http;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.impl.io.DefaultHttpResponseParserFactory;
import org.apache.hc.client5.http.impl.io.DefaultManagedHttpClientConnection;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.DefaultContentLengthStrategy;
import org.apache.hc.core5.http.impl.io.DefaultHttpRequestWriterFactory;
import org.apache.hc.core5.http.impl.io.NoResponseOutOfOrderStrategy;
import org.apache.hc.core5.http.io.HttpConnectionFactory;
import org.apache.hc.core5.util.Timeout;

/**
 * Pooled connections that are not reused once their server has sent bytes nobody asked for.
 *
 * <p>A server that writes more than its Content-Length, or anything while the connection is idle, leaves bytes in
 * the connection. HttpClient would read them as the head of the next answer on that connection, and bytes that happen
 * to form a whole answer would be taken as the next file's body. Every lease checks the idle connection (the pool
 * validates on each lease, see {@link HttpClientFactory}); one with unread bytes counts as stale and is closed
 * instead of reused, as curl closes a connection on "excess found". Bytes that arrive after the check, while the next
 * request is already on its way, are not caught.
 */
final class StrictReuse {
    /** How long a lease waits for bytes on an idle connection: they were sent long before, if at all. */
    private static final Timeout CHECK = Timeout.ofMilliseconds(1);
    private static final AtomicLong IDS = new AtomicLong();

    private StrictReuse() {
    }

    /** Makes connections as HttpClient's default factory does, with the stricter staleness check. */
    static HttpConnectionFactory<ManagedHttpClientConnection> connections() {
        return socket -> {
            Connection connection = new Connection("http-outgoing-" + IDS.getAndIncrement());
            if (socket != null) {
                connection.bind(socket);
            }
            return connection;
        };
    }

    /**
     * HttpClient's connection, stale also when its server has written bytes no request asked for. Its parts are those
     * of HttpClient's default connection factory, the lenient answer parser among them.
     */
    static final class Connection extends DefaultManagedHttpClientConnection {
        Connection(String id) {
            super(id, null, null, Http1Config.DEFAULT, DefaultContentLengthStrategy.INSTANCE,
                    DefaultContentLengthStrategy.INSTANCE, NoResponseOutOfOrderStrategy.INSTANCE,
                    new DefaultHttpRequestWriterFactory(Http1Config.DEFAULT),
                    new DefaultHttpResponseParserFactory(Http1Config.DEFAULT));
        }

        @Override
        public boolean isStale() throws IOException {
            if (super.isStale()) {
                return true; // closed, or the server closed it
            }
            try {
                return isDataAvailable(CHECK);
            } catch (IOException e) {
                return true;
            }
        }
    }
}
