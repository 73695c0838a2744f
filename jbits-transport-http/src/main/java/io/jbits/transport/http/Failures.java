package io.jbits.transport.http;

import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.spi.TransferFailure;
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
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.TruncatedChunkException;

/**
 * Turns the exceptions of HttpClient and the JDK into what the engine understands: a classified
 * {@link TransferFailure} for the few network failures BITS names (unknown host, TLS), otherwise an
 * {@link IOException} (transient) whose message says what happened and to which URL.
 */
public final class Failures {

    private Failures() {
    }

    /**
     * Classifies a failure to get a response from {@code uri}: throws the {@link TransferFailure} BITS reports for
     * it, or returns the {@link IOException} to throw.
     */
    static IOException whileRequesting(IOException e, URI uri) throws TransferFailure {
        if (e instanceof UnknownHostException) {
            throw new TransferFailure(new JobError(BitsCodes.E_NAME_NOT_RESOLVED, ErrorContext.GENERAL_TRANSPORT,
                    "cannot resolve host " + uri.getHost() + " for " + uri, null, null, true), e);
        }
        if (isCertificateOrProtocolRejection(e)) {
            throw new TransferFailure(new JobError(BitsCodes.E_SECURE_FAILURE, ErrorContext.GENERAL_TRANSPORT,
                    "TLS handshake with " + authority(uri) + " failed for " + uri + ": " + e.getMessage(), null,
                    null, false), e);
        }
        if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
            return e;
        }
        if (isMalformedAnswer(e)) {
            throw malformedAnswer(e, uri);
        }
        return new IOException("GET " + uri + ": " + networkProblem(e, uri), e);
    }

    /** True when {@code e} says the TCP connection could not be opened (refused, unreachable, timed out). */
    static boolean isConnectFailure(IOException e) {
        return e instanceof ConnectException || e instanceof NoRouteToHostException
                || e instanceof ConnectTimeoutException;
    }

    /**
     * True when the server answered, but not in HTTP: a garbage status line, a head beyond HttpClient's limits
     * (header count, line length, empty lines), a malformed header. Retrying may help (a proxy hiccup), so the
     * error stays transient, but it is the server's fault, not the network's.
     */
    private static boolean isMalformedAnswer(IOException e) {
        if (e instanceof MessageConstraintException) {
            return true;
        }
        for (Throwable c = e; c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof ProtocolException) {
                return true;
            }
        }
        return false;
    }

    /** The server's answer to a GET of {@code uri} is not HTTP: transient {@code BG_E_INVALID_SERVER_RESPONSE}. */
    static TransferFailure malformedAnswer(Exception e, URI uri) {
        return new TransferFailure(new JobError(BitsCodes.BG_E_INVALID_SERVER_RESPONSE, ErrorContext.REMOTE_FILE,
                "GET " + uri + ": invalid HTTP answer from " + authority(uri) + " (" + detail(e) + ")", null, null,
                true), e);
    }

    private static String detail(Throwable e) {
        Throwable shown = e.getCause() instanceof ProtocolException && e.getMessage() == null ? e.getCause() : e;
        return shown.getMessage() == null ? shown.getClass().getSimpleName() : shown.getMessage();
    }

    /** Describes a failure while reading the body of {@code uri} after {@code bytesRead} of {@code expected}. */
    static IOException whileReading(IOException e, URI uri, long bytesRead, long expected) {
        if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
            return e;
        }
        if (e instanceof ConnectionClosedException || e instanceof TruncatedChunkException
                || e instanceof MalformedChunkCodingException) {
            return truncated(uri, bytesRead, expected, e);
        }
        return new IOException("reading " + uri + " failed after " + bytesRead + " bytes: " + networkProblem(e, uri),
                e);
    }

    /** The body of {@code uri} ended before its announced length. */
    static IOException truncated(URI uri, long bytesRead, long expected, Throwable cause) {
        String of = expected >= 0 ? " of " + expected : "";
        return new IOException("connection closed after " + bytesRead + of + " bytes from " + uri, cause);
    }

    /**
     * True for a TLS handshake the peer or our checks rejected (certificate, host name, protocol), which retrying
     * will not fix. A handshake cut by the network (EOF, reset) has an I/O cause and stays a transient failure.
     */
    public static boolean isCertificateOrProtocolRejection(IOException e) {
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

    private static String networkProblem(IOException e, URI uri) {
        return networkProblem(e, uri, "an answer");
    }

    /** What went wrong on the network, for people; {@code awaited} names what never came ("an answer", "an Ack"). */
    public static String networkProblem(IOException e, URI uri, String awaited) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ConnectTimeoutException) {
            return "connect to " + authority(uri) + " timed out (" + detail + ")";
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return "cannot connect to " + authority(uri) + " (" + detail + ")";
        }
        if (e instanceof SocketTimeoutException) {
            return "no " + awaited.replaceFirst("^an? ", "") + " from " + authority(uri)
                    + " within the response timeout (" + detail + ")";
        }
        if (e instanceof NoHttpResponseException) {
            return authority(uri) + " closed the connection without " + awaited + " (" + detail + ")";
        }
        return detail;
    }

    public static String authority(URI uri) {
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }
}
