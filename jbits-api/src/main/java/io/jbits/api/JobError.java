package io.jbits.api;

import java.util.Objects;

/**
 * Why a job is in ERROR or TRANSIENT_ERROR: the BITS code, where it happened, and a message for people.
 *
 * @param code the BITS result code ({@link BitsCodes}); HTTP statuses as {@code 0x80190000 + status}
 * @param context where the error happened
 * @param message one line for people
 * @param httpStatus the HTTP status behind the error, or null
 * @param fileIndex the index of the file that failed, or null when the error is not about one file
 * @param transientError true when jbits retries by itself (TRANSIENT_ERROR), false when the owner must act
 */
public record JobError(int code, ErrorContext context, String message, Integer httpStatus, Integer fileIndex,
                       boolean transientError) {

    public JobError {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(message, "message");
    }

    /** An error for an HTTP status, classified as BITS does: 408, 409 and 5xx other than 501/505 are transient. */
    public static JobError http(int status, String message, Integer fileIndex) {
        return new JobError(BitsCodes.forHttpStatus(status), ErrorContext.REMOTE_FILE, message, status, fileIndex,
                isTransientHttpStatus(status));
    }

    /** BITS's classification of HTTP statuses for downloads. */
    public static boolean isTransientHttpStatus(int status) {
        if (status == 408 || status == 409) {
            return true;
        }
        return status >= 500 && status != 501 && status != 505;
    }

    /** The same error, attached to one file. */
    public JobError forFile(int index) {
        return new JobError(code, context, message, httpStatus, index, transientError);
    }

    /** The same error, made fatal (no progress for too long, or retries disabled). */
    public JobError asFatal() {
        return new JobError(code, context, message, httpStatus, fileIndex, false);
    }

    /** The code as BITS tools print it. */
    public String hexCode() {
        return BitsCodes.hex(code);
    }
}
