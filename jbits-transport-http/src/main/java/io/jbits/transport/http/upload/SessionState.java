package io.jbits.transport.http.upload;

import io.jbits.bup.Ack;
import io.jbits.spi.FlatJson;

import java.util.Map;
import java.util.Objects;

/**
 * What the client must remember of one upload session across attempts and restarts; the engine stores it as
 * opaque text ({@link #toJson()}), for example:
 *
 * <pre>{@code
 * {"url":"http://farm/up/a.bin","sessionId":"{A0FF5911-...}","protocol":"{7df0354d-...}",
 *  "hostId":"node7","hostIdFallbackSeconds":86400,"hostIdFallbackAtMillis":0,"complete":false,"replyUrl":null}
 * }</pre>
 *
 * @param url the job's remote URL as it was when the session was created; a state for another URL is not used
 * @param sessionId the server's {@code BITS-Session-Id}
 * @param protocol the protocol GUID the server chose ({@code BITS-Protocol})
 * @param hostId the {@code BITS-Host-Id} later packets go to, or null for the URL's own host
 * @param hostIdFallbackSeconds {@code BITS-Host-Id-Fallback-Timeout}, or {@link #NEVER} when the header was absent
 * @param hostIdFallbackAtMillis wall-clock epoch millis at which the client gives up on {@code hostId} and starts
 *     over at the original host; 0 while the host id is reachable (the timer starts at the first failed connect
 *     and resets at the next success)
 * @param complete true once every byte is acknowledged (only Close-Session is left)
 * @param replyUrl the {@code BITS-Reply-URL} of an upload-reply session's final Ack, or null
 */
record SessionState(String url, String sessionId, String protocol, String hostId, long hostIdFallbackSeconds,
                    long hostIdFallbackAtMillis, boolean complete, String replyUrl) {

    /** No fallback timeout: the client keeps to the host id. */
    static final long NEVER = Ack.NEVER;

    SessionState {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(sessionId, "sessionId");
    }

    /** A session just created, without a host id. */
    static SessionState created(String url, String sessionId, String protocol) {
        return new SessionState(url, sessionId, protocol, null, NEVER, 0, false, null);
    }

    /**
     * Reads a state written by {@link #toJson()}; null for "{}" and for text that holds no usable session (a
     * damaged state costs a new session, never a job stuck on it).
     */
    static SessionState parse(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        Map<String, Object> m;
        try {
            m = FlatJson.parse(json);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!(m.get("url") instanceof String url) || !(m.get("sessionId") instanceof String id) || id.isEmpty()) {
            return null;
        }
        return new SessionState(url, id, string(m, "protocol"), string(m, "hostId"),
                number(m, "hostIdFallbackSeconds", NEVER), number(m, "hostIdFallbackAtMillis", 0),
                Boolean.TRUE.equals(m.get("complete")), string(m, "replyUrl"));
    }

    /** The state as one line of JSON. */
    String toJson() {
        StringBuilder out = new StringBuilder(256).append('{');
        member(out, "url", url).append(',');
        member(out, "sessionId", sessionId).append(',');
        member(out, "protocol", protocol).append(',');
        member(out, "hostId", hostId).append(',');
        out.append("\"hostIdFallbackSeconds\":").append(hostIdFallbackSeconds).append(',');
        out.append("\"hostIdFallbackAtMillis\":").append(hostIdFallbackAtMillis).append(',');
        out.append("\"complete\":").append(complete).append(',');
        member(out, "replyUrl", replyUrl);
        return out.append('}').toString();
    }

    /** The same session, pinned to {@code newHostId} (null for none) with its fallback timeout. */
    SessionState withHostId(String newHostId, long fallbackSeconds) {
        return new SessionState(url, sessionId, protocol, newHostId, fallbackSeconds, 0, complete, replyUrl);
    }

    /** The same session with the fallback deadline set (a failed connect) or cleared (0: a success). */
    SessionState withFallbackAt(long epochMillis) {
        return new SessionState(url, sessionId, protocol, hostId, hostIdFallbackSeconds, epochMillis, complete,
                replyUrl);
    }

    /** The same session with every byte acknowledged, and the reply URL if there is one. */
    SessionState completed(String newReplyUrl) {
        return new SessionState(url, sessionId, protocol, hostId, hostIdFallbackSeconds, hostIdFallbackAtMillis,
                true, newReplyUrl);
    }

    private static StringBuilder member(StringBuilder out, String name, String value) {
        FlatJson.appendString(out, name);
        out.append(':');
        if (value == null) {
            out.append("null");
        } else {
            FlatJson.appendString(out, value);
        }
        return out;
    }

    private static String string(Map<String, Object> m, String name) {
        return m.get(name) instanceof String s ? s : null;
    }

    private static long number(Map<String, Object> m, String name, long absent) {
        return m.get(name) instanceof Long n ? n : absent;
    }
}
