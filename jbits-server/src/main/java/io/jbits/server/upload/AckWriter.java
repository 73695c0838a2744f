package io.jbits.server.upload;

import io.jbits.bup.Ack;
import io.jbits.bup.Headers;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Writes an {@link Ack} as the whole Jetty response: its status and headers, {@code Content-Length: 0} and an empty
 * body, in one write ([MC-BUP] §2.2.2).
 */
final class AckWriter {

    private AckWriter() {
    }

    /** Sends {@code ack} as the response and completes {@code callback}. */
    static void send(Ack ack, Response response, Callback callback) {
        response.setStatus(ack.status());
        HttpFields.Mutable fields = response.getHeaders();
        ack.headers().forEach(fields::put);
        if (ack.protocol() != null) {
            // The Create-Session Ack, the one naming the protocol, also says that fragment bodies come unencoded.
            fields.put(Headers.ACCEPT_ENCODING, "identity");
        }
        fields.put(HttpHeader.CONTENT_LENGTH, "0");
        fields.put(HttpHeader.CACHE_CONTROL, "no-cache");
        Content.Sink.write(response, true, "", callback);
    }
}
