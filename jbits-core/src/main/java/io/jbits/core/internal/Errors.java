package io.jbits.core.internal;

import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/** Turns exceptions from the network and the local disk into BITS errors. */
final class Errors {
    private Errors() {
    }

    /**
     * A network failure: always transient (reset, refused, timeout, truncated body). The code comes from the first
     * telling exception in the cause chain (transports wrap them to add the URL).
     */
    static JobError network(IOException e, String url, int fileIndex) {
        int code = BitsCodes.BG_E_CONNECTION_CLOSED;
        String what = "connection lost";
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                code = BitsCodes.BG_E_CONNECT_FAILURE;
                what = "cannot connect";
                break;
            }
            if (t instanceof SocketTimeoutException) {
                code = BitsCodes.E_TIMEOUT;
                what = "timed out";
                break;
            }
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String message = detail.contains(url) ? detail : what + " (" + detail + ") for " + url;
        return new JobError(code, ErrorContext.GENERAL_TRANSPORT, message, null, fileIndex, true);
    }

    /** A local file failure: a full disk is transient, a refused access fatal, others transient. */
    static JobError local(IOException e, String path, int fileIndex) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (isDiskFull(e)) {
            return new JobError(BitsCodes.E_DISK_FULL, ErrorContext.LOCAL_FILE,
                    "disk full writing " + path + " (" + detail + ")", null, fileIndex, true);
        }
        if (e instanceof AccessDeniedException) {
            return new JobError(BitsCodes.E_ACCESSDENIED, ErrorContext.LOCAL_FILE,
                    "access denied: " + path, null, fileIndex, false);
        }
        return new JobError(BitsCodes.E_FAIL, ErrorContext.LOCAL_FILE,
                "cannot write " + path + " (" + detail + ")", null, fileIndex, true);
    }

    static boolean isDiskFull(IOException e) {
        String m = e.getMessage();
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            m = fse.getReason();
        }
        return m != null && (m.contains("No space left") || m.contains("Disk quota exceeded"));
    }

    /** A response that breaks the protocol (a range that starts elsewhere than asked). */
    static JobError badResponse(String message, int fileIndex) {
        return new JobError(BitsCodes.BG_E_INVALID_SERVER_RESPONSE, ErrorContext.REMOTE_FILE, message, null,
                fileIndex, true);
    }

    /** A bug of ours: reported, never hidden. */
    static JobError internal(RuntimeException e) {
        return new JobError(BitsCodes.E_FAIL, ErrorContext.GENERAL_QUEUE_MANAGER,
                "internal error: " + e, null, null, false);
    }
}
