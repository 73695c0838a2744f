package io.jbits.transport.http.upload;

import io.jbits.bup.Ack;
import io.jbits.bup.Headers;
import io.jbits.bup.PacketType;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.UploadOutcome;
import io.jbits.spi.UploadProgress;
import io.jbits.spi.UploadRequest;
import io.jbits.spi.UploadTransport;
import io.jbits.transport.http.HttpTransportConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The client side of the BITS upload protocol ([MC-BUP], docs/bits.md §8) over HTTP/1.1 and HTTPS with
 * Apache HttpClient 5 (classic, blocking): upload and upload-reply jobs to IIS BITS servers and {@code jbits serve}.
 *
 * <pre>{@code
 * UploadTransport uploads = BitsUploadClient.create(HttpTransportConfig.defaults());
 * engineConfigBuilder.uploadTransports(List.of(uploads));
 * }</pre>
 *
 * <p>What it sends: {@code BITS_POST} packets with {@code BITS-Packet-Type} Create-Session (offering
 * {@value io.jbits.bup.Protocol#GUID}), Ping (after a {@code BITS-Host-Id} and on every resume), Fragments in order
 * ({@code Content-Range: bytes first-last/total}, 5 KiB–13 MiB, or up to 64 MiB to a server that announces it takes
 * them, adapted to throughput by {@link FragmentSizer}) read
 * from the local file with positional reads, and Close-Session (plain uploads, at the end of {@link #upload}; upload
 * replies, in {@link #closeSession} once the reply is fetched) or Cancel-Session ({@link #cancelSession}).
 *
 * <p>How it reads the answers: see {@link UploadAttempt} for the state machine (416, 413, lost sessions, host ids)
 * and {@link AckErrors#error} for how refused packets become {@code JobError}s. Network failures are plain
 * {@link IOException}s (transient); an unknown host is {@code ERROR_WINHTTP_NAME_NOT_RESOLVED}, a rejected TLS
 * handshake {@code ERROR_WINHTTP_SECURE_FAILURE}, as for downloads.
 *
 * <p>The session state it reports is the JSON of {@link SessionState}. Connections are pooled and kept alive, but
 * only reused by the owner they were opened for.
 */
public final class BitsUploadClient implements UploadTransport {

    private static final System.Logger LOG = System.getLogger(BitsUploadClient.class.getName());

    /** How often Close-Session and Cancel-Session are sent when the server answers 5xx ([MC-BUP] §3.1.5.5–6). */
    static final int END_ATTEMPTS = 4;
    /** The pause before the second attempt; it doubles for each further one. */
    static final Duration FIRST_END_RETRY_DELAY = Duration.ofMillis(250);

    /** How the client waits between retries of a session end; injected so that tests do not sleep. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final PacketSender sender;
    private final Clock clock;
    private final Sleeper sleeper;

    private BitsUploadClient(PacketSender sender, Clock clock, Sleeper sleeper) {
        this.sender = sender;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Creates a client with its own connection pool, timeouts and user agent from {@code config}. */
    public static BitsUploadClient create(HttpTransportConfig config) {
        return create(config, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
    }

    /** Creates a client whose host-id fallback timer reads {@code clock} and whose retries wait with {@code sleeper}. */
    static BitsUploadClient create(HttpTransportConfig config, Clock clock, Sleeper sleeper) {
        return create(config, clock, sleeper, null);
    }

    /** The same, resolving host names with {@code dnsResolver} (null: the system's), so tests stay on loopback. */
    static BitsUploadClient create(HttpTransportConfig config, Clock clock, Sleeper sleeper,
                                   DnsResolver dnsResolver) {
        Objects.requireNonNull(config, "config");
        return new BitsUploadClient(PacketSender.create(config, dnsResolver), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(sleeper, "sleeper"));
    }

    /** True for http and https URLs with a host. */
    @Override
    public boolean handlesUpload(URI remote) {
        String scheme = remote.getScheme();
        return scheme != null && remote.getHost() != null
                && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"));
    }

    @Override
    public UploadOutcome upload(UploadRequest request, UploadProgress progress) throws IOException, TransferFailure {
        requireHandled(request);
        Objects.requireNonNull(progress, "progress");
        return new UploadAttempt(this, sender, clock, request, progress).run();
    }

    /** Sends Close-Session for the session in {@code request.sessionState()}; nothing when there is none. */
    @Override
    public void closeSession(UploadRequest request) throws IOException, TransferFailure {
        requireHandled(request);
        SessionState state = SessionState.parse(request.sessionState());
        if (state != null) {
            endSession(PacketType.CLOSE_SESSION, state, request.owner(), request.options());
        }
    }

    /**
     * Sends Cancel-Session for the session in {@code request.sessionState()}, so that the server deletes what it
     * received; nothing when there is no session. A server that no longer knows the session counts as done.
     */
    @Override
    public void cancelSession(UploadRequest request) throws IOException, TransferFailure {
        requireHandled(request);
        SessionState state = SessionState.parse(request.sessionState());
        if (state != null) {
            endSession(PacketType.CANCEL_SESSION, state, request.owner(), request.options());
        }
    }

    /** Closes a plain upload's session after its last byte; the file is stored, so a failure is only logged. */
    void closeAfterUpload(SessionState state, String owner, String options) {
        try {
            endSession(PacketType.CLOSE_SESSION, state, owner, options);
        } catch (IOException | TransferFailure e) {
            LOG.log(System.Logger.Level.INFO, "Close-Session of the finished upload to " + state.url()
                    + " failed; the server expires the session: " + e.getMessage());
        }
    }

    /**
     * Sends Close-Session or Cancel-Session, again after a 5xx (but not after {@code BG_E_SESSION_NOT_FOUND}, which,
     * like 404, means there is nothing left to end) up to {@link #END_ATTEMPTS} times, never after another status.
     */
    void endSession(PacketType type, SessionState state, String owner, String options)
            throws IOException, TransferFailure {
        URI uri = UploadAttempt.packetUri(URI.create(state.url()), state.hostId());
        String what = type.wireName() + " of session " + state.sessionId() + " at " + uri;
        Duration delay = FIRST_END_RETRY_DELAY;
        for (int attempt = 1; attempt <= END_ATTEMPTS; attempt++) {
            Ack ack;
            try {
                ack = sender.send(uri, owner, options, type, null, Headers.SESSION_ID, state.sessionId());
            } catch (IOException e) {
                throw NetworkFailures.classify(e, what, uri);
            }
            if (ack.isSuccess() || ack.isSessionNotFound() || ack.status() == 404) {
                return;
            }
            if (ack.status() < 500 || attempt == END_ATTEMPTS) {
                throw new TransferFailure(AckErrors.error(ack, what));
            }
            pause(delay, what);
            delay = delay.multipliedBy(2);
        }
    }

    private void pause(Duration delay, String what) throws InterruptedIOException {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to resend " + what);
        }
    }

    private void requireHandled(UploadRequest request) {
        if (!handlesUpload(request.remote())) {
            throw new IllegalArgumentException("not an http(s) URL with a host: " + request.remote());
        }
    }

    /** Closes the connection pool; uploads still running fail on their next packet. */
    @Override
    public void close() throws IOException {
        sender.close();
    }
}
