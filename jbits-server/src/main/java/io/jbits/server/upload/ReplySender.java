package io.jbits.server.upload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpDateTime;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the reply of an upload-reply session at its {@code BITS-Reply-URL} with GET and HEAD, from the final Ack
 * until Close-Session. A BITS client fetches it with an ordinary download, which may resume with a single
 * {@code Range} (and {@code If-Range}), so those are supported; the ETag is strong and names the session and size.
 */
final class ReplySender {

    /** The path segment, below the handler's context, under which replies are served. */
    static final String PATH_SEGMENT = ".jbits-reply";

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

    private final SessionTable sessions;
    private final SessionStore store;

    ReplySender(SessionTable sessions, SessionStore store) {
        this.sessions = sessions;
        this.store = store;
    }

    /** The session key if {@code pathInContext} is a reply path, else null. */
    static String keyOf(String pathInContext) {
        String prefix = "/" + PATH_SEGMENT + "/";
        if (pathInContext == null || !pathInContext.startsWith(prefix)) {
            return null;
        }
        return Session.keyOf(pathInContext.substring(prefix.length()));
    }

    /** Answers a request for a reply path; 404 when the session or its reply is gone. */
    void send(String key, Request request, Response response, Callback callback) throws IOException {
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        if (!head && !HttpMethod.GET.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Response.writeError(request, response, callback, 405);
            return;
        }
        Session session = key == null ? null : sessions.find(key);
        if (session != null && !session.ownedBy(BitsUploadHandler.userOf(request))) {
            session = null;
        }
        Path file = session == null ? null : store.responseFile(session);
        if (session == null || session.state() != Session.State.WAITING_FOR_CLOSE || !Files.isRegularFile(file)) {
            Response.writeError(request, response, callback, 404);
            return;
        }
        long size = Files.size(file);
        String etag = "\"" + session.key() + "." + Long.toHexString(size) + "\"";
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.ETAG, etag);
        headers.put(HttpHeader.LAST_MODIFIED, HttpDateTime.format(Files.getLastModifiedTime(file).toInstant().atZone(java.time.ZoneOffset.UTC)));
        headers.put(HttpHeader.ACCEPT_RANGES, "bytes");
        headers.put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        headers.put(HttpHeader.CACHE_CONTROL, "no-cache");

        long first = 0;
        long length = size;
        String range = request.getHeaders().get(HttpHeader.RANGE);
        String ifRange = request.getHeaders().get(HttpHeader.IF_RANGE);
        if (range != null && (ifRange == null || ifRange.strip().equals(etag))) {
            Matcher m = RANGE.matcher(range.strip());
            if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                long[] span = span(m.group(1), m.group(2), size);
                if (span == null) {
                    headers.put(HttpHeader.CONTENT_RANGE, "bytes */" + size);
                    headers.put(HttpHeader.CONTENT_LENGTH, "0");
                    response.setStatus(416);
                    response.write(true, null, callback);
                    return;
                }
                first = span[0];
                length = span[1] - span[0] + 1;
                response.setStatus(206);
                headers.put(HttpHeader.CONTENT_RANGE, "bytes " + span[0] + "-" + span[1] + "/" + size);
            }
            // Several ranges or an unreadable header: the whole reply, as RFC 9110 allows.
        }
        headers.put(HttpHeader.CONTENT_LENGTH, Long.toString(length));
        if (head || length == 0) {
            response.write(true, null, callback);
        } else {
            Content.copy(Content.Source.from(file, first, length), response, callback);
        }
    }

    /** First and last byte of a single range, or null when it is not satisfiable. */
    private static long[] span(String from, String to, long size) {
        try {
            if (from.isEmpty()) {
                long suffix = Long.parseLong(to);
                return suffix == 0 || size == 0 ? null : new long[] {Math.max(0, size - suffix), size - 1};
            }
            long first = Long.parseLong(from);
            long last = to.isEmpty() ? size - 1 : Math.min(Long.parseLong(to), size - 1);
            return first >= size || first > last ? null : new long[] {first, last};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
