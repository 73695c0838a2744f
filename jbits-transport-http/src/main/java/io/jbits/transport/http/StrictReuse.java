package io.jbits.transport.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.impl.io.DefaultHttpResponseParserFactory;
import org.apache.hc.client5.http.impl.io.DefaultManagedHttpClientConnection;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.DefaultContentLengthStrategy;
import org.apache.hc.core5.http.impl.io.DefaultHttpRequestWriterFactory;
import org.apache.hc.core5.http.impl.io.NoResponseOutOfOrderStrategy;
import org.apache.hc.core5.http.io.HttpConnectionFactory;
import org.apache.hc.core5.http.io.SessionInputBuffer;

/**
 * Pooled connections that are not reused once their server has sent bytes nobody asked for.
 *
 * <p>A server that writes more than its Content-Length, or anything while the connection is idle, leaves bytes in
 * the connection. HttpClient would read them as the head of the next answer on that connection, and bytes that happen
 * to form a whole answer would be taken as the next file's body. Every lease checks the idle connection (the pool
 * validates on each lease, see {@link HttpClientFactory}); one with unread bytes counts as stale and is closed
 * instead of reused, as curl closes a connection on "excess found". Bytes that arrive after the check, while the next
 * request is already on its way, are not caught.
 *
 * <p>What a check costs: looking for unread bytes (in HttpClient's buffer, and on a plain socket in the kernel's)
 * takes no wait. Noticing that the server closed the connection does: a read that waits one millisecond for
 * nothing to come. A connection back in the pool for less than {@link #FRESH_NANOS} skips that read, as HttpClient
 * itself skips its whole check for two seconds; a close the server made in that time shows up as a failed send,
 * which a GET resends once ({@link HttpClientFactory}). Thousands of small files on a few connections then do not
 * wait a millisecond each.
 */
final class StrictReuse {
    /** How long a close check waits for bytes on an idle connection: they were sent long before, if at all. */
    private static final org.apache.hc.core5.util.Timeout CHECK = org.apache.hc.core5.util.Timeout.ofMilliseconds(1);
    /** A connection idle for less than this is not read to find a close (servers keep connections for seconds). */
    static final long FRESH_NANOS = 250_000_000L;
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
        /** The connection's input buffer, as HttpClient hands it to each answer's body. */
        private volatile SessionInputBuffer buffer;
        /** When the connection went back to the pool; 0 while in use. */
        private volatile long idleSinceNanos;

        Connection(String id) {
            super(id, null, null, Http1Config.DEFAULT, DefaultContentLengthStrategy.INSTANCE,
                    DefaultContentLengthStrategy.INSTANCE, NoResponseOutOfOrderStrategy.INSTANCE,
                    new DefaultHttpRequestWriterFactory(Http1Config.DEFAULT),
                    new DefaultHttpResponseParserFactory(Http1Config.DEFAULT));
        }

        @Override
        protected InputStream createContentInputStream(long len, SessionInputBuffer inBuffer, InputStream in) {
            buffer = inBuffer;
            return super.createContentInputStream(len, inBuffer, in);
        }

        @Override
        public void passivate() {
            super.passivate();
            idleSinceNanos = System.nanoTime();
        }

        @Override
        public void activate() {
            super.activate();
            idleSinceNanos = 0;
        }

        @Override
        public boolean isStale() throws IOException {
            if (!isOpen()) {
                return true;
            }
            try {
                if (unreadBytes()) {
                    return true;
                }
                SessionInputBuffer b = buffer;
                long idle = idleSinceNanos;
                if (b != null && idle != 0 && System.nanoTime() - idle < FRESH_NANOS
                        && !(getSocket() instanceof SSLSocket)) {
                    return false;
                }
                /* The close check reads (waiting up to a millisecond): bytes it finds land in the buffer. Without
                   the buffer at hand (no answer had a body yet), one more wait looks for them there. */
                if (super.isStale()) {
                    return true;
                }
                return b == null ? isDataAvailable(CHECK) : unreadBytes();
            } catch (IOException e) {
                return true;
            }
        }

        /** True when bytes wait in the connection's buffer or, on a plain socket, in the kernel's; never waits. */
        private boolean unreadBytes() throws IOException {
            SessionInputBuffer b = buffer;
            if (b != null && b.length() > 0) {
                return true;
            }
            Socket socket = getSocket();
            return socket != null && !(socket instanceof SSLSocket) && socket.getInputStream().available() > 0;
        }
    }
}
