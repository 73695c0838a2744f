package io.jbits.transport.http;

import java.util.Arrays;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * A static entity served as a careful server would: {@code Range: bytes=n-} answered with 206 when {@code If-Range}
 * (if any) matches the current ETag or Last-Modified, else 200; optionally a server that ignores Range.
 */
record RangeEntity(byte[] bytes, String etag, String lastModified, boolean honoursRange)
        implements TestServer.Exchange {

    static RangeEntity of(byte[] bytes, String etag, String lastModified) {
        return new RangeEntity(bytes, etag, lastModified, true);
    }

    RangeEntity ignoringRange() {
        return new RangeEntity(bytes, etag, lastModified, false);
    }

    @Override
    public void handle(Request request, Response response) throws Exception {
        if (etag != null) {
            response.getHeaders().put(HttpHeader.ETAG, etag);
        }
        if (lastModified != null) {
            response.getHeaders().put(HttpHeader.LAST_MODIFIED, lastModified);
        }
        String range = request.getHeaders().get(HttpHeader.RANGE);
        String ifRange = request.getHeaders().get(HttpHeader.IF_RANGE);
        boolean current = ifRange == null
                || (etag != null && !etag.startsWith("W/") && ifRange.equals(etag))
                || ifRange.equals(lastModified);
        if (range == null || !honoursRange || !current) {
            TestServer.send(response, 200, bytes);
            return;
        }
        long from = Long.parseLong(range.substring("bytes=".length(), range.indexOf('-')));
        if (from >= bytes.length) {
            response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + bytes.length);
            TestServer.send(response, 416, new byte[0]);
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_RANGE,
                "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
        TestServer.send(response, 206, Arrays.copyOfRange(bytes, (int) from, bytes.length));
    }
}
