package io.jbits.server.upload;

import io.jbits.bup.Ack;
import io.jbits.bup.Hresult;

/**
 * A packet the server refuses or cannot complete: the HTTP status of its Ack and, when the spec gives one, the
 * HRESULT and error context ([MC-BUP] §3.2.5, docs/bits.md §8.4).
 */
final class UploadError extends Exception {

    private final int status;
    private final int code;
    private final int context;

    UploadError(int status, int code, int context, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.context = context;
    }

    /** 400 E_INVALIDARG: a malformed packet, a bad header, a path that is no file name. */
    static UploadError invalid(String message) {
        return new UploadError(400, Hresult.E_INVALIDARG, Hresult.CONTEXT_REMOTE_FILE, message);
    }

    /** 403 E_ACCESSDENIED (or 409 for an existing destination at Create-Session). */
    static UploadError accessDenied(int status, String message) {
        return new UploadError(status, Hresult.E_ACCESSDENIED, Hresult.CONTEXT_REMOTE_FILE, message);
    }

    /** 500 BG_E_SESSION_NOT_FOUND: the client starts over with Create-Session. */
    static UploadError sessionNotFound(String sessionId) {
        return new UploadError(500, Hresult.BG_E_SESSION_NOT_FOUND, Hresult.CONTEXT_REMOTE_FILE,
                "no upload session " + sessionId);
    }

    /** 500 BG_E_TOO_LARGE: the upload exceeds the configured maximum. */
    static UploadError tooLarge(long totalBytes, long maxBytes) {
        return new UploadError(500, Hresult.BG_E_TOO_LARGE, Hresult.CONTEXT_REMOTE_FILE,
                "an upload of " + totalBytes + " bytes is larger than the limit of " + maxBytes);
    }

    /** 500 with the disk-full code, or E_FAIL for another I/O failure of the server's own files. */
    static UploadError ioFailure(java.io.IOException e) {
        String message = String.valueOf(e.getMessage());
        boolean full = message.contains("No space left") || message.contains("Disk quota exceeded");
        return new UploadError(500, full ? Hresult.DISK_FULL : Hresult.E_FAIL, Hresult.CONTEXT_REMOTE_FILE,
                "cannot store the upload: " + message);
    }

    /** A failure of the server application: its status, context REMOTE_APPLICATION. */
    static UploadError application(int status, int code, String message) {
        return new UploadError(status, code, Hresult.CONTEXT_REMOTE_APPLICATION, message);
    }

    int status() {
        return status;
    }

    /** The HRESULT, or {@link Ack#NO_ERROR_CODE}. */
    int code() {
        return code;
    }

    int context() {
        return context;
    }

    /** The Ack refusing the packet: its status, error code and context, and the session id when there is one. */
    Ack ack(String sessionId) {
        return Ack.of(status).withSessionId(sessionId).withError(code, context);
    }
}
