package io.jbits.transport.http;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;

/** Ends HTTP exchanges: keeping the connection when that is cheap, dropping it otherwise. */
final class HttpExchanges {

    /**
     * How much of an unwanted body (error page, redirect page) we read to keep the connection, as WinHTTP's
     * {@code MAX_RESPONSE_DRAIN_SIZE}; a longer body costs more than a new connection.
     */
    static final int MAX_DRAIN_BYTES = 64 * 1024;

    private HttpExchanges() {
    }

    /** Ends an answer whose body nobody wants: drains a short body so the connection is reused, else aborts. */
    static void discard(HttpUriRequestBase request, ClassicHttpResponse response) {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            closeQuietly(response);
            return;
        }
        long length = entity.getContentLength();
        if (length > MAX_DRAIN_BYTES) {
            abort(request, response);
            return;
        }
        try (InputStream in = entity.getContent()) {
            byte[] sink = new byte[8192];
            long drained = 0;
            int n;
            while ((n = in.read(sink)) >= 0) {
                drained += n;
                if (drained > MAX_DRAIN_BYTES) {
                    abort(request, response);
                    return;
                }
            }
        } catch (IOException e) {
            abort(request, response);
            return;
        }
        closeQuietly(response);
    }

    /**
     * Drops the connection at once. Cancelling the request makes HttpClient close the socket and discard the pooled
     * endpoint; only then is closing the response cheap, because closing it first would drain the body.
     */
    static void abort(HttpUriRequestBase request, ClassicHttpResponse response) {
        request.cancel();
        closeQuietly(response);
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException e) {
            // The connection is gone either way; nothing the caller could do.
        }
    }
}
