package io.jbits.transport.http.upload;

import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.bup.Ack;
import io.jbits.bup.Hresult;

/**
 * How the client turns a refusing {@link Ack} into a job error, classified as BITS does (docs/bits.md): the
 * server's code and context when it sent them, else the HTTP status as {@code BG_E_HTTP_ERROR_<status>}.
 */
final class AckErrors {

    private AckErrors() {
    }

    /**
     * The BITS error for a refused packet described by {@code what}: transient for 408, 409 and 5xx other than
     * 501/505 (3xx too, for the server application), fatal otherwise, and always fatal for
     * {@code BG_E_TOO_LARGE} and {@code E_ACCESSDENIED} (the size limit and access rights do not change by
     * waiting).
     */
    static JobError error(Ack ack, String what) {
        int status = ack.status();
        int code = ack.errorCode() != Ack.NO_ERROR_CODE ? ack.errorCode() : BitsCodes.forHttpStatus(status);
        ErrorContext context = ack.errorContext() > 0 && ack.errorContext() < ErrorContext.values().length
                ? ErrorContext.values()[ack.errorContext()] : ErrorContext.REMOTE_FILE;
        boolean transientError;
        if (code == Hresult.BG_E_TOO_LARGE || code == Hresult.E_ACCESSDENIED) {
            transientError = false;
        } else if (context == ErrorContext.REMOTE_APPLICATION) {
            transientError = isTransientApplicationStatus(status);
        } else {
            transientError = JobError.isTransientHttpStatus(status);
        }
        StringBuilder message = new StringBuilder(what).append(": HTTP ").append(status);
        if (!ack.reason().isEmpty()) {
            message.append(' ').append(ack.reason());
        }
        if (ack.errorCode() != Ack.NO_ERROR_CODE) {
            message.append(", ").append(BitsCodes.name(ack.errorCode()));
        }
        if (context == ErrorContext.REMOTE_APPLICATION) {
            message.append(" (the server application failed)");
        }
        return new JobError(code, context, message.toString(), status, null, transientError);
    }

    /**
     * BITS's classes for the statuses of the server application behind an upload-reply server (docs/bits.md):
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
}
