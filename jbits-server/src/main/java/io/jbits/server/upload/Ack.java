package io.jbits.server.upload;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The server's answer to every packet: {@code BITS-Packet-Type: Ack}, the HTTP status as its reason, the headers of
 * its packet type, and an empty body with {@code Content-Length: 0} ([MC-BUP] §2.2.2).
 */
final class Ack {

    static final String PACKET_TYPE = "BITS-Packet-Type";
    static final String SESSION_ID = "BITS-Session-Id";
    static final String PROTOCOL = "BITS-Protocol";
    static final String RECEIVED_CONTENT_RANGE = "BITS-Received-Content-Range";
    static final String REPLY_URL = "BITS-Reply-URL";
    static final String HOST_ID = "BITS-Host-Id";
    static final String HOST_ID_FALLBACK_TIMEOUT = "BITS-Host-Id-Fallback-Timeout";
    static final String ERROR_CODE = "BITS-Error-Code";
    static final String ERROR_CONTEXT = "BITS-Error-Context";

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Ack(int status) {
        this.status = status;
    }

    /** An Ack with {@code status} and no other header yet. */
    static Ack of(int status) {
        return new Ack(status);
    }

    /** 200 OK. */
    static Ack ok() {
        return new Ack(200);
    }

    /** The Ack of a refused packet: its status, error code and context, and the session id when there is one. */
    static Ack error(UploadError error, String sessionId) {
        Ack ack = new Ack(error.status());
        if (sessionId != null) {
            ack.header(SESSION_ID, sessionId);
        }
        if (error.code() != UploadError.NO_CODE) {
            ack.header(ERROR_CODE, Hresult.hex(error.code()));
            ack.header(ERROR_CONTEXT, "0x" + Integer.toHexString(error.context()));
        }
        return ack;
    }

    /** Adds or replaces a header; a null value leaves it out. */
    Ack header(String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
        return this;
    }

    int status() {
        return status;
    }

    String header(String name) {
        return headers.get(name);
    }

    /** Writes the Ack as the whole response, headers and empty body in one write. */
    void send(Response response, Callback callback) {
        response.setStatus(status);
        HttpFields.Mutable fields = response.getHeaders();
        fields.put(PACKET_TYPE, "Ack");
        headers.forEach(fields::put);
        fields.put(HttpHeader.CONTENT_LENGTH, "0");
        fields.put(HttpHeader.CACHE_CONTROL, "no-cache");
        Content.Sink.write(response, true, "", callback);
    }

    @Override
    public String toString() {
        return "Ack[" + status + " " + headers + "]";
    }
}
