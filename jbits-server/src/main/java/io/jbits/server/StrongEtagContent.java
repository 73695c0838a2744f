package io.jbits.server;

import java.io.IOException;
import java.time.Instant;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.http.content.HttpContent;

/**
 * A file's content with a strong ETag built from its modification time (to the nanosecond) and its size.
 *
 * <p>Jetty's own ETags are weak ({@code W/"…"}), and a weak ETag cannot validate a range (RFC 9110 §13.1.5):
 * a client resuming with {@code If-Range} would always get the whole file again. Time and size are what nginx
 * and Apache use for their strong ETags; with nanoseconds, a file rewritten in place gets a new tag.
 */
final class StrongEtagContent extends HttpContent.Wrapper {

    private final HttpField etag;

    StrongEtagContent(HttpContent content) {
        super(content);
        this.etag = new PreEncodedHttpField(HttpHeader.ETAG,
                strongEtag(content.getLastModifiedInstant(), content.getContentLengthValue()));
    }

    /**
     * The ETag of a file modified at {@code modified} with {@code sizeBytes} bytes, quotes included. No '-' inside:
     * Jetty's If-None-Match code takes the text after the last '-' for a content-encoding suffix and drops it.
     */
    static String strongEtag(Instant modified, long sizeBytes) {
        long seconds = modified == null ? 0 : modified.getEpochSecond();
        int nanos = modified == null ? 0 : modified.getNano();
        return "\"" + Long.toHexString(seconds) + "." + Integer.toHexString(nanos) + "." + Long.toHexString(sizeBytes)
                + "\"";
    }

    @Override
    public HttpField getETag() {
        return etag;
    }

    @Override
    public String getETagValue() {
        return etag.getValue();
    }

    /** Wraps every content of {@code files} (nothing is cached: a changed file is seen at the next request). */
    record Factory(HttpContent.Factory files) implements HttpContent.Factory {
        @Override
        public HttpContent getContent(String pathInContext) throws IOException {
            HttpContent content = files.getContent(pathInContext);
            return content == null ? null : new StrongEtagContent(content);
        }
    }
}
