package io.jbits.bup;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The server's answer to a packet ([MC-BUP] §2.2.2): an HTTP response with {@code BITS-Packet-Type: Ack}, the HTTP
 * status saying whether the packet was taken, the BITS headers of its packet type, and an empty body.
 *
 * <p>A server builds one with {@link #of} and the {@code with} methods and writes {@link #headers()}; a client reads
 * one with {@link #read}, leniently: numbers that do not parse count as absent, and {@link Headers#ERROR} is taken
 * for {@link Headers#ERROR_CODE}.
 *
 * @param status the HTTP status
 * @param reason the reason phrase the Ack arrived with, or "" (informative only; a server leaves it to its HTTP
 *     library)
 * @param sessionId {@link Headers#SESSION_ID}, or null
 * @param protocol {@link Headers#PROTOCOL}, or null
 * @param receivedBytes {@link Headers#RECEIVED_CONTENT_RANGE} (the next offset the server expects), or
 *     {@link #ABSENT}
 * @param replyUrl {@link Headers#REPLY_URL}, or null
 * @param hostId {@link Headers#HOST_ID}, or null
 * @param hostIdFallbackSeconds {@link Headers#HOST_ID_FALLBACK_TIMEOUT}, or {@link #NEVER}
 * @param errorCode {@link Headers#ERROR_CODE} as an HRESULT, or {@link #NO_ERROR_CODE}
 * @param errorContext {@link Headers#ERROR_CONTEXT}, or {@link #NO_ERROR_CONTEXT}
 * @param maxFragmentBytes {@link Headers#MAX_FRAGMENT} (not in [MC-BUP]), or {@link #ABSENT}
 */
public record Ack(int status, String reason, String sessionId, String protocol, long receivedBytes, String replyUrl,
        String hostId, long hostIdFallbackSeconds, int errorCode, int errorContext, long maxFragmentBytes) {

    /** The value of {@link Headers#PACKET_TYPE} in every Ack. */
    public static final String PACKET_TYPE = "Ack";
    /** No {@link Headers#RECEIVED_CONTENT_RANGE}. */
    public static final long ABSENT = -1;
    /** No host-id fallback timeout: the client keeps to the host id. */
    public static final long NEVER = -1;
    /** No {@link Headers#ERROR_CODE}: the status says it all. */
    public static final int NO_ERROR_CODE = 0;
    /** No {@link Headers#ERROR_CONTEXT}. */
    public static final int NO_ERROR_CONTEXT = -1;

    /** The fallback timeout a Windows client assumes without the header; it means "never". */
    private static final long DEFAULT_FALLBACK_SECONDS = 0xFFFF_FFFFL;

    /** An Ack with {@code status} and no BITS header but its packet type. */
    public static Ack of(int status) {
        return new Ack(status, "", null, null, ABSENT, null, null, NEVER, NO_ERROR_CODE, NO_ERROR_CONTEXT, ABSENT);
    }

    /** 200 OK: the packet was taken. */
    public static Ack ok() {
        return of(200);
    }

    /** The same Ack with {@link Headers#SESSION_ID} (null: without). */
    public Ack withSessionId(String id) {
        return new Ack(status, reason, id, protocol, receivedBytes, replyUrl, hostId, hostIdFallbackSeconds,
                errorCode, errorContext, maxFragmentBytes);
    }

    /** The same Ack with {@link Headers#PROTOCOL}, the chosen protocol GUID (null: without). */
    public Ack withProtocol(String guid) {
        return new Ack(status, reason, sessionId, guid, receivedBytes, replyUrl, hostId, hostIdFallbackSeconds,
                errorCode, errorContext, maxFragmentBytes);
    }

    /** The same Ack with {@link Headers#RECEIVED_CONTENT_RANGE} ({@link #ABSENT}: without). */
    public Ack withReceivedBytes(long bytes) {
        return new Ack(status, reason, sessionId, protocol, bytes, replyUrl, hostId, hostIdFallbackSeconds,
                errorCode, errorContext, maxFragmentBytes);
    }

    /** The same Ack with {@link Headers#REPLY_URL} (null: without). */
    public Ack withReplyUrl(String url) {
        return new Ack(status, reason, sessionId, protocol, receivedBytes, url, hostId, hostIdFallbackSeconds,
                errorCode, errorContext, maxFragmentBytes);
    }

    /** The same Ack with {@link Headers#HOST_ID} (null: without) and its fallback timeout ({@link #NEVER}: none). */
    public Ack withHostId(String id, long fallbackSeconds) {
        return new Ack(status, reason, sessionId, protocol, receivedBytes, replyUrl, id, fallbackSeconds, errorCode,
                errorContext, maxFragmentBytes);
    }

    /** The same Ack with {@link Headers#MAX_FRAGMENT} ({@link #ABSENT}: without). */
    public Ack withMaxFragmentBytes(long bytes) {
        return new Ack(status, reason, sessionId, protocol, receivedBytes, replyUrl, hostId, hostIdFallbackSeconds,
                errorCode, errorContext, bytes);
    }

    /** The same Ack with an error code and context; {@link #NO_ERROR_CODE} leaves both out. */
    public Ack withError(int code, int context) {
        return code == NO_ERROR_CODE
                ? new Ack(status, reason, sessionId, protocol, receivedBytes, replyUrl, hostId,
                        hostIdFallbackSeconds, NO_ERROR_CODE, NO_ERROR_CONTEXT, maxFragmentBytes)
                : new Ack(status, reason, sessionId, protocol, receivedBytes, replyUrl, hostId,
                        hostIdFallbackSeconds, code, context, maxFragmentBytes);
    }

    /** 200 or 201: the packet was taken (OneDrive answers Create-Session with 201). */
    public boolean isSuccess() {
        return status == 200 || status == 201;
    }

    /** The server does not know the session: the client starts over with Create-Session. */
    public boolean isSessionNotFound() {
        return errorCode == Hresult.BG_E_SESSION_NOT_FOUND;
    }

    /**
     * The Ack's headers as a server writes them, in order, {@link Headers#PACKET_TYPE} first; absent values are
     * left out, and so is the fallback timeout without a host id.
     */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Headers.PACKET_TYPE, PACKET_TYPE);
        put(headers, Headers.PROTOCOL, protocol);
        put(headers, Headers.SESSION_ID, sessionId);
        if (receivedBytes >= 0) {
            headers.put(Headers.RECEIVED_CONTENT_RANGE, Long.toString(receivedBytes));
        }
        put(headers, Headers.REPLY_URL, replyUrl);
        if (hostId != null) {
            headers.put(Headers.HOST_ID, hostId);
            if (hostIdFallbackSeconds >= 0) {
                headers.put(Headers.HOST_ID_FALLBACK_TIMEOUT, Long.toString(hostIdFallbackSeconds));
            }
        }
        if (errorCode != NO_ERROR_CODE) {
            headers.put(Headers.ERROR_CODE, Hresult.hex(errorCode));
            if (errorContext >= 0) {
                headers.put(Headers.ERROR_CONTEXT, Hresult.contextHex(errorContext));
            }
        }
        if (maxFragmentBytes >= 0) {
            headers.put(Headers.MAX_FRAGMENT, Long.toString(maxFragmentBytes));
        }
        return headers;
    }

    /**
     * Reads an Ack as a client receives it.
     *
     * @param reason the reason phrase, or null
     * @param header the value of a header by name (any case), or null when it is missing
     */
    public static Ack read(int status, String reason, UnaryOperator<String> header) {
        UnaryOperator<String> h = name -> {
            String value = header.apply(name);
            return value == null ? null : value.strip();
        };
        String code = h.apply(Headers.ERROR_CODE);
        if (code == null) {
            code = h.apply(Headers.ERROR);
        }
        String host = h.apply(Headers.HOST_ID);
        return new Ack(status, reason == null ? "" : reason.strip(), h.apply(Headers.SESSION_ID),
                h.apply(Headers.PROTOCOL), number(h.apply(Headers.RECEIVED_CONTENT_RANGE)), h.apply(Headers.REPLY_URL),
                host == null || host.isEmpty() ? null : host,
                host == null ? NEVER : fallbackSeconds(h.apply(Headers.HOST_ID_FALLBACK_TIMEOUT)),
                Hresult.parse(code, NO_ERROR_CODE), Hresult.parse(h.apply(Headers.ERROR_CONTEXT), NO_ERROR_CONTEXT),
                number(h.apply(Headers.MAX_FRAGMENT)));
    }

    private static void put(Map<String, String> headers, String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
    }

    private static long number(String value) {
        if (value == null) {
            return ABSENT;
        }
        try {
            long n = Long.parseLong(value);
            return n < 0 ? ABSENT : n;
        } catch (NumberFormatException e) {
            return ABSENT;
        }
    }

    private static long fallbackSeconds(String value) {
        long seconds = number(value);
        return seconds < 0 || seconds >= DEFAULT_FALLBACK_SECONDS ? NEVER : seconds;
    }
}
