package io.jbits.transport.http;

import io.jbits.spi.RemoteBody;
import io.jbits.spi.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ClassicHttpResponse;

/**
 * The body of one GET answer, read straight from the connection.
 *
 * <p>Copies: HttpClient's session buffer hands reads larger than its chunk limit (512 bytes) straight to the socket,
 * so a read into a heap buffer lands in the caller's array with no copy on our side; a direct buffer costs one copy
 * through a reused scratch array.
 *
 * <p>Closing before the end cancels the exchange, which closes the socket and discards the pooled connection:
 * HttpClient would otherwise drain the rest of the body to keep the connection, which for a large file means
 * downloading it anyway.
 */
final class HttpRemoteBody implements RemoteBody {
    private static final int MAX_SCRATCH_BYTES = 256 * 1024;

    private final HttpUriRequestBase request;
    private final ClassicHttpResponse response;
    private final InputStream content;
    private final long offset;
    private final Validator validator;
    private final URI finalUri;
    private final long expectedBytes;
    private boolean reportFinalUri;
    private long bytesRead;
    private boolean ended;
    private boolean closed;
    private byte[] scratch;

    /**
     * @param content the entity's stream, or null for an answer without a body
     * @param expectedBytes how many bytes the body must hold, or -1 when the server did not say
     */
    HttpRemoteBody(HttpUriRequestBase request, ClassicHttpResponse response, InputStream content, long offset,
                   Validator validator, URI finalUri, long expectedBytes) {
        this.request = request;
        this.response = response;
        this.content = content == null ? InputStream.nullInputStream() : content;
        this.offset = offset;
        this.validator = validator;
        this.finalUri = finalUri;
        this.expectedBytes = expectedBytes;
    }

    /** This body, telling the engine to take {@link #finalUri()} as the file's remote name. */
    HttpRemoteBody reportingFinalUri() {
        reportFinalUri = true;
        return this;
    }

    @Override
    public boolean reportFinalUri() {
        return reportFinalUri;
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public Validator validator() {
        return validator;
    }

    @Override
    public URI finalUri() {
        return finalUri;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (closed) {
            throw new IOException("body of " + finalUri + " is closed");
        }
        if (ended) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        int wanted = dst.remaining();
        if (expectedBytes >= 0) {
            // Never ask for more than the announced length: a server sending extra bytes must not grow the file.
            wanted = (int) Math.min(wanted, Math.max(1, expectedBytes - bytesRead));
        }
        int n;
        try {
            if (dst.hasArray()) {
                n = content.read(dst.array(), dst.arrayOffset() + dst.position(), wanted);
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
            } else {
                byte[] buf = scratch(wanted);
                n = content.read(buf, 0, Math.min(wanted, buf.length));
                if (n > 0) {
                    dst.put(buf, 0, n);
                }
            }
        } catch (IOException e) {
            abort();
            throw Failures.whileReading(e, finalUri, bytesRead, expectedBytes);
        }
        if (n < 0) {
            return end();
        }
        bytesRead += n;
        if (expectedBytes >= 0 && bytesRead > expectedBytes) {
            abort();
            throw new IOException("server sent more than the announced " + expectedBytes + " bytes for " + finalUri);
        }
        return n;
    }

    private int end() throws IOException {
        if (expectedBytes >= 0 && bytesRead < expectedBytes) {
            abort();
            throw Failures.truncated(finalUri, bytesRead, expectedBytes, null);
        }
        ended = true;
        return -1;
    }

    private byte[] scratch(int wanted) {
        int size = Math.min(MAX_SCRATCH_BYTES, Math.max(8192, wanted));
        if (scratch == null || scratch.length < size) {
            scratch = new byte[size];
        }
        return scratch;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (ended) {
            // At the end of the body HttpClient has already returned the connection to the pool for reuse.
            response.close();
        } else {
            abort();
        }
    }

    /** Drops the connection without reading the rest of the body. */
    private void abort() {
        closed = true;
        HttpExchanges.abort(request, response);
    }
}
