package io.jbits.transport.http.upload;

import io.jbits.transport.http.Failures;
import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.spi.TransferFailure;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.ConnectTimeoutException;

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
        if (Failures.isCertificateOrProtocolRejection(e)) {
            throw new TransferFailure(new JobError(BitsCodes.E_SECURE_FAILURE, ErrorContext.GENERAL_TRANSPORT,
                    "TLS handshake with " + Failures.authority(uri) + " failed for " + what + " to " + uri + ": "
                            + e.getMessage(), null, null, false), e);
        }
        if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
            return e;
        }
        return new IOException(what + " to " + uri + ": " + Failures.networkProblem(e, uri, "an Ack"), e);
    }
}
