package io.jbits.server;

import java.util.List;
import org.eclipse.jetty.http.HttpDateTime;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.http.content.ResourceHttpContentFactory;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the files of the context's base directory for GET and HEAD: single and multiple ranges, strong ETags,
 * Last-Modified, the conditional headers, and no directory listings. Other methods and missing files pass to the
 * next handler.
 *
 * <p>Jetty's {@code ResourceService} ignores {@code If-Range}; this handler evaluates it and, when the validator no
 * longer matches, drops the {@code Range} header so the client gets the whole, current file with 200 instead of a
 * piece of a different version glued to what it already has.
 */
final class StaticFileHandler extends ResourceHandler {

    StaticFileHandler() {
        setDirAllowed(false);
        setAcceptRanges(true);
        setEtags(true);
        setWelcomeFiles(List.of());
    }

    @Override
    protected HttpContent.Factory newHttpContentFactory(ByteBufferPool.Sized buffers) {
        // No caching layer: files under a download server change, and a cached length or ETag would lie. No file
        // mapping either: memory-mapping a file that someone truncates while it is served kills the JVM (SIGBUS).
        return new StrongEtagContent.Factory(new ResourceHttpContentFactory(getBaseResource(), getMimeTypes(), buffers));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpFields headers = request.getHeaders();
        String ifRange = headers.get(HttpHeader.IF_RANGE);
        boolean readMethod = HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod());
        if (ifRange != null && readMethod && headers.contains(HttpHeader.RANGE)) {
            HttpContent content = getResourceService().getContent(Request.getPathInContext(request), request);
            if (content != null && !validatorMatches(ifRange.strip(), content)) {
                return super.handle(withoutRange(request), response, callback);
            }
        }
        return super.handle(request, response, callback);
    }

    /**
     * RFC 9110 §13.1.5: an entity tag matches only by strong comparison; a date matches only when it equals the
     * Last-Modified time exactly (to the second, as HTTP dates go).
     */
    static boolean validatorMatches(String ifRange, HttpContent content) {
        if (ifRange.startsWith("W/")) {
            return false;
        }
        if (ifRange.startsWith("\"")) {
            String etag = content.getETagValue();
            return etag != null && !etag.startsWith("W/") && etag.equals(ifRange);
        }
        long dateMillis;
        try {
            dateMillis = HttpDateTime.parseToEpoch(ifRange);
        } catch (RuntimeException e) {
            return false;
        }
        if (dateMillis < 0 || content.getLastModifiedInstant() == null) {
            return false;
        }
        return dateMillis / 1000 == content.getLastModifiedInstant().getEpochSecond();
    }

    private static Request withoutRange(Request request) {
        HttpFields headers = HttpFields.build(request.getHeaders())
                .remove(HttpHeader.RANGE)
                .remove(HttpHeader.IF_RANGE)
                .asImmutable();
        return new Request.Wrapper(request) {
            @Override
            public HttpFields getHeaders() {
                return headers;
            }
        };
    }
}
