package io.jbits.transport.smb;

import com.hierynomus.mserref.NtStatus;
import com.hierynomus.mssmb2.SMBApiException;
import com.hierynomus.smbj.common.SMBRuntimeException;
import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.spi.TransferFailure;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.UnknownHostException;

/**
 * Turns smbj's exceptions into what the engine understands. An NT status the server answered is a classified
 * {@link TransferFailure}: a refused logon, a missing share or file, denied access are fatal (the owner must act);
 * a locked file or a full disk on the server are transient. Everything that is the network's doing (refused, reset,
 * timed out, a server that went away mid-transfer) is a plain {@link IOException}, which the engine retries.
 */
final class SmbFailures {
    private SmbFailures() {
    }

    /** Classifies a failure while talking to the server about {@code name}; returns the IOException to throw. */
    static IOException classify(RuntimeException e, SmbName name, SmbLogon logon, String doing)
            throws TransferFailure {
        if (e instanceof SMBApiException api) {
            TransferFailure failure = answered(api, name, logon, doing);
            if (failure != null) {
                throw failure;
            }
            return new IOException(doing + " " + name.unc() + ": the server answered " + api.getStatus()
                    + " (" + api.getMessage() + ")", api);
        }
        Throwable cause = rootIo(e);
        if (cause instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
            return (InterruptedIOException) cause;
        }
        return lost(e, name, doing);
    }

    /** The connection to the server failed or went away: transient. */
    static IOException lost(Throwable e, SmbName name, String doing) {
        String detail = describe(rootIo(e) != null ? rootIo(e) : e);
        return new IOException("connection to SMB server " + name.server() + " lost while " + doing + " "
                + name.unc() + " (" + detail + ")", e);
    }

    /** The server could not be reached. An unknown host is named as such; others keep their cause for the engine. */
    static IOException connectFailed(IOException e, SmbName name) throws TransferFailure {
        if (e instanceof UnknownHostException) {
            throw new TransferFailure(new JobError(BitsCodes.E_NAME_NOT_RESOLVED, ErrorContext.GENERAL_TRANSPORT,
                    "cannot resolve SMB server " + name.host() + " for " + name.unc(), null, null, true), e);
        }
        return new IOException("cannot connect to SMB server " + name.server() + " for " + name.unc() + " ("
                + describe(e) + ")", e);
    }

    private static TransferFailure answered(SMBApiException e, SmbName name, SmbLogon logon, String doing) {
        NtStatus s = e.getStatus();
        String status = " (" + s + ")";
        JobError error = switch (s) {
            case STATUS_LOGON_FAILURE, STATUS_PASSWORD_EXPIRED, STATUS_ACCOUNT_DISABLED,
                 STATUS_LOGON_TYPE_NOT_GRANTED -> fatal(BitsCodes.E_LOGON_FAILURE,
                    "SMB logon to " + name.server() + " as " + logon.who() + " failed: "
                            + (logon.anonymous() ? "the server refuses anonymous and guest logons; set the job's "
                                    + "credentials (jbits set JOB --credentials server ntlm USER)"
                                    : "unknown user name or bad password") + status);
            case STATUS_ACCESS_DENIED -> fatal(BitsCodes.E_ACCESSDENIED,
                    "access denied " + doing + " " + name.unc() + " as " + logon.who() + status);
            case STATUS_BAD_NETWORK_NAME -> fatal(BitsCodes.E_BAD_NET_NAME,
                    "no share '" + name.share() + "' on SMB server " + name.server() + status);
            case STATUS_OBJECT_NAME_NOT_FOUND, STATUS_NOT_FOUND, STATUS_FILE_DELETED -> fatal(
                    BitsCodes.E_FILE_NOT_FOUND, "no file " + name.unc() + status);
            case STATUS_OBJECT_PATH_NOT_FOUND -> fatal(BitsCodes.E_PATH_NOT_FOUND,
                    "no directory '" + name.directory() + "' in \\\\" + name.server() + "\\" + name.share()
                            + " for " + name.unc() + status);
            case STATUS_FILE_IS_A_DIRECTORY -> fatal(BitsCodes.E_ACCESSDENIED,
                    name.unc() + " is a directory, not a file" + status);
            case STATUS_SHARING_VIOLATION, STATUS_DELETE_PENDING -> retry(BitsCodes.E_ACCESSDENIED,
                    name.unc() + " is in use by another program; will retry" + status);
            case STATUS_DISK_FULL -> retry(BitsCodes.E_DISK_FULL,
                    "the SMB server's disk is full " + doing + " " + name.unc() + status);
            default -> null;
        };
        return error == null ? null : new TransferFailure(error, e);
    }

    private static JobError fatal(int code, String message) {
        return new JobError(code, ErrorContext.REMOTE_FILE, message, null, null, false);
    }

    private static JobError retry(int code, String message) {
        return new JobError(code, ErrorContext.REMOTE_FILE, message, null, null, true);
    }

    /** The first IOException in the cause chain (smbj wraps them in runtime exceptions), or null. */
    static IOException rootIo(Throwable e) {
        IOException found = null;
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof IOException io) {
                found = io;
            }
        }
        return found;
    }

    /** True when smbj reports that the connection or session is gone, so the cached session must go too. */
    static boolean isConnectionGone(RuntimeException e) {
        if (e instanceof SMBApiException api) {
            return switch (api.getStatus()) {
                case STATUS_NETWORK_NAME_DELETED, STATUS_USER_SESSION_DELETED, STATUS_NETWORK_SESSION_EXPIRED,
                     STATUS_CONNECTION_DISCONNECTED, STATUS_CONNECTION_RESET -> true;
                default -> false;
            };
        }
        return e instanceof SMBRuntimeException;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
