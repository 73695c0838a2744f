package io.jbits.transport.http.upload;

import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import java.util.Locale;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;

/**
 * The server's answer to one packet, with the headers of [MC-BUP] §2.2.2 read leniently (reference bits.md §8.2):
 * numbers that do not parse count as absent, {@code BITS-Error} is accepted for {@code BITS-Error-Code}.
 *
 * @param status the HTTP status
 * @param reason the reason phrase, or ""
 * @param sessionId {@code BITS-Session-Id}, or null
 * @param protocol {@code BITS-Protocol}, or null
 * @param receivedBytes {@code BITS-Received-Content-Range} (the next offset the server expects), or -1
 * @param replyUrl {@code BITS-Reply-URL}, or null
 * @param hostId {@code BITS-Host-Id}, or null
 * @param hostIdFallbackSeconds {@code BITS-Host-Id-Fallback-Timeout}, or {@link SessionState#NEVER}
 * @param errorCode {@code BITS-Error-Code} as an HRESULT, or 0 when absent
 * @param errorContext {@code BITS-Error-Context}, or -1 when absent
 */
record Ack(int status, String reason, String sessionId, String protocol, long receivedBytes, String replyUrl,
           String hostId, long hostIdFallbackSeconds, int errorCode, int errorContext) {

    /** Reads the Ack of {@code response}; its body is not looked at. */
    static Ack of(ClassicHttpResponse response) {
        String reason = response.getReasonPhrase();
        String code = header(response, "BITS-Error-Code");
        if (code == null) {
            code = header(response, "BITS-Error");
        }
        String host = header(response, "BITS-Host-Id");
        return new Ack(response.getCode(), reason == null ? "" : reason.strip(), header(response, "BITS-Session-Id"),
                header(response, "BITS-Protocol"), number(header(response, "BITS-Received-Content-Range")),
                header(response, "BITS-Reply-URL"), host == null || host.isEmpty() ? null : host,
                host == null ? SessionState.NEVER : fallbackSeconds(header(response,
                        "BITS-Host-Id-Fallback-Timeout")),
                (int) hex(code, 0), (int) hex(header(response, "BITS-Error-Context"), -1));
    }

    /** 200 or 201 (OneDrive answers Create-Session with 201). */
    boolean isSuccess() {
        return status == 200 || status == 201;
    }

    /** The server does not know the session: the client starts over with Create-Session. */
    boolean isSessionNotFound() {
        return errorCode == BitsCodes.BG_E_SESSION_NOT_FOUND;
    }

    /**
     * The BITS error for a refused packet, classified as BITS does (reference bits.md §3.1, §8.4): the server's
     * code and context when it sent them, else the HTTP status as {@code BG_E_HTTP_ERROR_<status>}; transient for
     * 408, 409 and 5xx other than 501/505 (3xx too, for the server application), fatal otherwise, and always fatal
     * for {@code BG_E_TOO_LARGE} and {@code E_ACCESSDENIED} (the size limit and access rights do not change by
     * waiting).
     */
    JobError error(String what) {
        int code = errorCode != 0 ? errorCode : BitsCodes.forHttpStatus(status);
        ErrorContext context = errorContext > 0 && errorContext < ErrorContext.values().length
                ? ErrorContext.values()[errorContext] : ErrorContext.REMOTE_FILE;
        boolean transientError;
        if (code == BitsCodes.BG_E_TOO_LARGE || code == BitsCodes.E_ACCESSDENIED) {
            transientError = false;
        } else if (context == ErrorContext.REMOTE_APPLICATION) {
            transientError = isTransientApplicationStatus(status);
        } else {
            transientError = JobError.isTransientHttpStatus(status);
        }
        StringBuilder message = new StringBuilder(what).append(": HTTP ").append(status);
        if (!reason.isEmpty()) {
            message.append(' ').append(reason);
        }
        if (errorCode != 0) {
            message.append(", ").append(BitsCodes.name(errorCode));
        }
        if (context == ErrorContext.REMOTE_APPLICATION) {
            message.append(" (the server application failed)");
        }
        return new JobError(code, context, message.toString(), status, null, transientError);
    }

    /**
     * BITS's classes for the statuses of the server application behind an upload-reply server (bits.md §3.1):
     * 300–305 and 307 fatal, other 3xx transient; 408 and 409 transient, other 4xx fatal; 501 and 505 fatal, other
     * 5xx transient; anything else transient.
     */
    static boolean isTransientApplicationStatus(int status) {
        if (status >= 300 && status < 400) {
            return status > 307 || status == 306;
        }
        if (status >= 400 && status < 500) {
            return status == 408 || status == 409;
        }
        if (status >= 500 && status < 600) {
            return status != 501 && status != 505;
        }
        return true;
    }

    private static String header(ClassicHttpResponse response, String name) {
        Header h = response.getFirstHeader(name);
        return h == null || h.getValue() == null ? null : h.getValue().strip();
    }

    private static long number(String value) {
        if (value == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(value);
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long fallbackSeconds(String value) {
        long seconds = number(value);
        // 0xFFFFFFFF is the client default and means "never", as an absent header does.
        return seconds < 0 || seconds >= 0xFFFF_FFFFL ? SessionState.NEVER : seconds;
    }

    /** An HRESULT or context in hex, with or without {@code 0x}. */
    private static long hex(String value, long absent) {
        if (value == null || value.isEmpty()) {
            return absent;
        }
        String digits = value.toLowerCase(Locale.ROOT).startsWith("0x") ? value.substring(2) : value;
        try {
            return Long.parseLong(digits, 16);
        } catch (NumberFormatException e) {
            return absent;
        }
    }
}
