package io.jbits.transport.http.upload;

import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.core.TransferFailure;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.NoHttpResponseException;

/**
 * Turns the exceptions of a packet exchange into what the engine understands, as the download transport does: the
 * few network failures BITS names (unknown host: transient; TLS rejected: fatal) become a {@link TransferFailure},
 * every other one an {@link IOException} (transient) whose message names the packet and the URL.
 */
final class NetworkFailures {

    private NetworkFailures() {
    }

    /** True when no connection to the host could be made at all: what starts the host-id fallback timer. */
    static boolean isConnectFailure(IOException e) {
        return e instanceof ConnectException || e instanceof NoRouteToHostException
                || e instanceof ConnectTimeoutException || e instanceof UnknownHostException;
    }

    /**
     * Classifies a failure of the packet {@code what} to {@code uri}: throws the {@link TransferFailure} BITS reports
     * for it, or returns the {@link IOException} to throw.
     */
    static IOException classify(IOException e, String what, URI uri) throws TransferFailure {
        if (e instanceof UnknownHostException) {
            throw new TransferFailure(new JobError(BitsCodes.E_NAME_NOT_RESOLVED, ErrorContext.GENERAL_TRANSPORT,
                    "cannot resolve host " + uri.getHost() + " for " + what + " to " + uri, null, null, true), e);
        }
        if (isTlsRejection(e)) {
            throw new TransferFailure(new JobError(BitsCodes.E_SECURE_FAILURE, ErrorContext.GENERAL_TRANSPORT,
                    "TLS handshake with " + authority(uri) + " failed for " + what + " to " + uri + ": "
                            + e.getMessage(), null, null, false), e);
        }
        if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
            return e;
        }
        return new IOException(what + " to " + uri + ": " + problem(e, uri), e);
    }

    /** A handshake the peer or our checks rejected; one cut by the network (EOF, reset) has an I/O cause. */
    private static boolean isTlsRejection(IOException e) {
        if (e instanceof SSLPeerUnverifiedException) {
            return true;
        }
        if (!(e instanceof SSLHandshakeException)) {
            return false;
        }
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof IOException) {
                return false;
            }
        }
        return true;
    }

    private static String problem(IOException e, URI uri) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ConnectTimeoutException) {
            return "connect to " + authority(uri) + " timed out (" + detail + ")";
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return "cannot connect to " + authority(uri) + " (" + detail + ")";
        }
        if (e instanceof SocketTimeoutException) {
            return "no Ack from " + authority(uri) + " within the response timeout (" + detail + ")";
        }
        if (e instanceof NoHttpResponseException) {
            return authority(uri) + " closed the connection without an Ack (" + detail + ")";
        }
        return detail;
    }

    static String authority(URI uri) {
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }
}
