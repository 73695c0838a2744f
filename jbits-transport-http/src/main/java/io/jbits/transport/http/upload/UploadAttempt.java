package io.jbits.transport.http.upload;

import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.bup.Ack;
import io.jbits.bup.ContentRange;
import io.jbits.bup.Headers;
import io.jbits.bup.PacketType;
import io.jbits.bup.Protocol;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.UploadOutcome;
import io.jbits.spi.UploadProgress;
import io.jbits.spi.UploadRequest;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;

/**
 * One call of {@link BitsUploadClient#upload}: the client state machine of [MC-BUP] §3.1 (docs/bits.md §8.6)
 * from where the stored session stands to the last Ack, or to a stop or an error.
 *
 * <p>A new session is Create-Session, then Ping when the server pinned us to a {@code BITS-Host-Id}, then fragments
 * from byte 0. A stored session is Ping (Windows pings whenever it resumes), then a probe fragment of one byte at
 * offset 0: the server keeps the bytes it has and answers with its offset, so the client learns where to go on
 * without remembering it, and a fragment is never sent twice in full. Each Ack moves the offset to
 * {@code BITS-Received-Content-Range}, which the client always trusts; 416 does the same; 413 shrinks the fragments;
 * {@code BG_E_SESSION_NOT_FOUND} starts a new session from zero.
 */
final class UploadAttempt {

    private static final int BUFFER_BYTES = 512 * 1024;
    /** How often one attempt replaces a session the server lost before it reports the loss. */
    private static final int MAX_NEW_SESSIONS = 3;
    /** How many Acks in a row may leave the offset where it was (416 loops, a server that keeps nothing). */
    private static final int MAX_STALLS = 5;

    /** The engine asked to stop: unwinds to {@link #run}, which reports an incomplete outcome. */
    private static final class Stop extends Exception {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    private final BitsUploadClient client;
    private final PacketSender sender;
    private final Clock clock;
    private final UploadRequest request;
    private final UploadProgress progress;
    private final String url;
    private SessionState state;
    private FileChannel file;
    private byte[] buffer;
    /** The largest fragment the server announced in its Create-Session or Ping Ack, or {@link Ack#ABSENT}. */
    private long announcedMaxFragmentBytes = Ack.ABSENT;

    UploadAttempt(BitsUploadClient client, PacketSender sender, Clock clock, UploadRequest request,
                  UploadProgress progress) {
        this.client = client;
        this.sender = sender;
        this.clock = clock;
        this.request = request;
        this.progress = progress;
        this.url = request.remote().toString();
    }

    UploadOutcome run() throws IOException, TransferFailure {
        state = SessionState.parse(request.sessionState());
        if (state != null && !state.url().equals(url)) {
            state = null;
        }
        if (state != null && state.complete()) {
            return finished();
        }
        if (state != null && state.hostId() != null && state.hostIdFallbackAtMillis() != 0
                && clock.millis() >= state.hostIdFallbackAtMillis()) {
            // The fallback timer of [MC-BUP] §3.1 ran out: back to the original host, where the upload starts over.
            state = null;
        }
        try (FileChannel channel = openLocalFile()) {
            file = channel;
            boolean resumed = state != null;
            if (resumed) {
                ping();
            } else {
                createSession();
            }
            return fragments(resumed);
        } catch (Stop stop) {
            return new UploadOutcome(false, null, state == null ? request.sessionState() : state.toJson());
        }
    }

    private UploadOutcome fragments(boolean resumed) throws IOException, TransferFailure, Stop {
        long total = request.fileSize();
        FragmentSizer sizer = new FragmentSizer(FragmentSizer.INITIAL_BYTES,
                FragmentSizer.ceiling(announcedMaxFragmentBytes));
        long offset = 0;
        boolean probe = resumed;
        int newSessions = 0;
        int stalls = 0;
        // Every packet moves the offset on, shrinks the fragments, or counts as a new session or a stall; both
        // counts are bounded, so this bound is never reached by a server that follows the protocol.
        long maxPackets = (MAX_NEW_SESSIONS + 2) * (total / FragmentSizer.MIN_BYTES + MAX_STALLS + 16);
        for (long packet = 0; packet < maxPackets; packet++) {
            long length = probe ? Math.min(1, total) : Math.min(sizer.sizeBytes(), total - offset);
            long started = System.nanoTime();
            Ack ack = fragment(offset, length);
            long elapsedNanos = System.nanoTime() - started;
            if (ack.isSuccess()) {
                long next = ack.receivedBytes() < 0 ? offset + length : checkedOffset(ack, offset, length);
                if (!probe) {
                    sizer.acknowledged(length, elapsedNanos);
                }
                stalls = next > offset ? 0 : stalls + 1;
                probe = false;
                offset = next;
                progress.acknowledged(offset);
                if (offset == total) {
                    return finished(ack.replyUrl());
                }
            } else if (ack.status() == 416) {
                offset = checkedOffset(ack, offset, length);
                progress.acknowledged(offset);
                stalls++;
                probe = false;
                if (offset == total && total > 0) {
                    offset = total - 1; // the server has it all: resend the last byte for the final Ack
                }
            } else if (ack.status() == 413) {
                if (!sizer.refusedAsTooLarge(length)) {
                    throw new TransferFailure(new JobError(BitsCodes.BG_E_TOO_LARGE, ErrorContext.REMOTE_FILE,
                            describe(offset, length) + ": HTTP 413 even for a fragment of " + length
                                    + " bytes, the smallest BITS sends", 413, null, false));
                }
            } else if (ack.isSessionNotFound() && ++newSessions <= MAX_NEW_SESSIONS) {
                createSession();
                offset = 0;
                probe = false;
                stalls = 0;
                progress.acknowledged(0);
            } else {
                throw new TransferFailure(AckErrors.error(ack, describe(offset, length)));
            }
            if (stalls > MAX_STALLS) {
                throw invalidResponse(describe(offset, length) + ": " + stalls + " Acks in a row without a new byte",
                        true);
            }
        }
        throw invalidResponse("the upload of " + url + " did not end after " + maxPackets + " fragments", true);
    }

    private long checkedOffset(Ack ack, long offset, long length) throws TransferFailure {
        long next = ack.receivedBytes();
        if (next < 0 || next > request.fileSize()) {
            throw invalidResponse(describe(offset, length) + ": HTTP " + ack.status()
                    + " with BITS-Received-Content-Range " + (next < 0 ? "missing" : next + " beyond the total of "
                    + request.fileSize()), true);
        }
        return next;
    }

    private Ack fragment(long offset, long length) throws IOException, TransferFailure, Stop {
        long total = request.fileSize();
        String range = new ContentRange(offset, length, total).headerValue();
        if (buffer == null && length > 0) {
            buffer = new byte[(int) Math.min(BUFFER_BYTES, total)];
        }
        FragmentEntity body = length == 0 ? null
                : new FragmentEntity(file, offset, length, buffer, progress::stopRequested, progress::pace);
        return send(PacketType.FRAGMENT, describe(offset, length), body, Headers.SESSION_ID, state.sessionId(),
                Headers.CONTENT_NAME, contentName(), Headers.CONTENT_RANGE, range);
    }

    private void createSession() throws IOException, TransferFailure, Stop {
        state = null;
        URI uri = packetUri(request.remote(), null);
        Ack ack = send(PacketType.CREATE_SESSION, "Create-Session for " + uri, null,
                Headers.SUPPORTED_PROTOCOLS, Protocol.GUID);
        if (!ack.isSuccess()) {
            if (ack.status() == 400 && !uri.getRawPath().endsWith("/")) {
                throw mismatch("HTTP 400 for Create-Session at " + uri + ": the server supports none of the "
                        + "upload protocols " + Protocol.GUID + ", or refuses this URL", 400);
            }
            throw new TransferFailure(AckErrors.error(ack, "Create-Session for " + uri));
        }
        if (ack.protocol() != null && !ack.protocol().equalsIgnoreCase(Protocol.GUID)) {
            throw mismatch("Create-Session at " + uri + " chose the protocol " + ack.protocol() + ", not the "
                    + "offered " + Protocol.GUID, ack.status());
        }
        if (ack.sessionId() == null || ack.sessionId().isEmpty()) {
            throw invalidResponse("the Ack of Create-Session at " + uri + " has no BITS-Session-Id: not a BITS "
                    + "upload server?", false);
        }
        announcedMaxFragmentBytes = ack.maxFragmentBytes();
        state = SessionState.created(url, ack.sessionId(), ack.protocol() == null ? Protocol.GUID : ack.protocol())
                .withHostId(ack.hostId(), ack.hostIdFallbackSeconds());
        progress.sessionChanged(state.toJson());
        if (state.hostId() != null) {
            packetUri(request.remote(), state.hostId()); // refuses a host id that makes no URL before any packet
            ping();
        }
    }

    private void ping() throws IOException, TransferFailure, Stop {
        Ack ack = send(PacketType.PING, "Ping to " + target(), null);
        if (!ack.isSuccess()) {
            throw new TransferFailure(AckErrors.error(ack, "Ping to " + target() + " for the upload of " + url));
        }
        if (ack.maxFragmentBytes() >= 0) {
            announcedMaxFragmentBytes = ack.maxFragmentBytes();
        }
    }

    /**
     * Sends one packet to the session's host after checking for a stop request, and keeps the host-id fallback
     * timer: started (and persisted) by a failed connect to the host id, reset by any Ack from it.
     */
    private Ack send(PacketType type, String what, FragmentEntity body, String... headers)
            throws IOException, TransferFailure, Stop {
        if (progress.stopRequested()) {
            throw new Stop();
        }
        URI uri = target();
        Ack ack;
        try {
            ack = sender.send(uri, request.owner(), request.options(), type, body, headers);
        } catch (IOException e) {
            if (body != null && body.localFailure() != null) {
                throw localFailure(body.localFailure());
            }
            if (progress.stopRequested()) {
                throw new Stop();
            }
            if (state != null && state.hostId() != null && NetworkFailures.isConnectFailure(e)) {
                throw hostUnreachable(e, what, uri);
            }
            throw NetworkFailures.classify(e, what, uri);
        }
        if (state != null && state.hostIdFallbackAtMillis() != 0) {
            state = state.withFallbackAt(0);
            progress.sessionChanged(state.toJson());
        }
        return ack;
    }

    private IOException hostUnreachable(IOException e, String what, URI uri) {
        String message = what + " to " + uri + ": cannot connect to the host id " + state.hostId() + " ("
                + e.getMessage() + ")";
        if (state.hostIdFallbackSeconds() == SessionState.NEVER) {
            return new IOException(message, e);
        }
        if (state.hostIdFallbackAtMillis() == 0) {
            state = state.withFallbackAt(clock.millis() + state.hostIdFallbackSeconds() * 1000);
            progress.sessionChanged(state.toJson());
        }
        return new IOException(message + "; from " + Instant.ofEpochMilli(state.hostIdFallbackAtMillis())
                + " on, the upload starts over at " + request.remote().getHost(), e);
    }

    /** Every byte is acknowledged: remember that, then close (plain upload) or hand out the reply URL. */
    private UploadOutcome finished(String replyUrl) throws TransferFailure {
        String reply = null;
        if (request.wantReply()) {
            if (replyUrl == null || replyUrl.isEmpty()) {
                throw invalidResponse("the final Ack for " + url + " has no BITS-Reply-URL, which an upload-reply "
                        + "session must have", false);
            }
            try {
                reply = target().resolve(replyUrl).toString();
            } catch (IllegalArgumentException e) {
                throw invalidResponse("the final Ack for " + url + " has a malformed BITS-Reply-URL '" + replyUrl
                        + "'", false);
            }
        }
        state = state.completed(reply);
        progress.sessionChanged(state.toJson());
        return finished();
    }

    private UploadOutcome finished() throws TransferFailure {
        if (!request.wantReply()) {
            client.closeAfterUpload(state, request.owner(), request.options());
            return new UploadOutcome(true, null, state.toJson());
        }
        if (state.replyUrl() == null) {
            throw invalidResponse("the session of " + url + " ended without a reply URL", false);
        }
        return new UploadOutcome(true, URI.create(state.replyUrl()), state.toJson());
    }

    private FileChannel openLocalFile() throws IOException, TransferFailure {
        FileChannel channel;
        try {
            channel = FileChannel.open(request.localFile(), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw localChanged(request.localFile() + " no longer exists");
        } catch (AccessDeniedException e) {
            throw new TransferFailure(new JobError(BitsCodes.E_ACCESSDENIED, ErrorContext.LOCAL_FILE,
                    "cannot read " + request.localFile() + ": access denied", null, null, false), e);
        }
        if (channel.size() < request.fileSize()) {
            long size = channel.size();
            channel.close();
            throw localChanged(request.localFile() + " has " + size + " bytes, fewer than the " + request.fileSize()
                    + " it had when the job took it");
        }
        return channel;
    }

    private IOException localFailure(IOException e) throws TransferFailure {
        if (e instanceof EOFException) {
            throw localChanged(request.localFile() + ": " + e.getMessage());
        }
        return new IOException("reading " + request.localFile() + " for the upload to " + url + " failed: "
                + e.getMessage(), e);
    }

    private URI target() throws TransferFailure {
        return packetUri(request.remote(), state == null ? null : state.hostId());
    }

    /**
     * The URL a packet goes to: the remote URL without its fragment, with the host replaced by the host id if there
     * is one ("the client MUST replace the host part of the remote URL", same scheme, port, path and query).
     */
    static URI packetUri(URI remote, String hostId) throws TransferFailure {
        StringBuilder b = new StringBuilder(remote.getScheme()).append("://");
        if (hostId == null) {
            b.append(remote.getRawAuthority());
        } else {
            if (remote.getRawUserInfo() != null) {
                b.append(remote.getRawUserInfo()).append('@');
            }
            b.append(hostId.indexOf(':') >= 0 && !hostId.startsWith("[") ? "[" + hostId + "]" : hostId);
            if (remote.getPort() >= 0) {
                b.append(':').append(remote.getPort());
            }
        }
        b.append(remote.getRawPath() == null || remote.getRawPath().isEmpty() ? "/" : remote.getRawPath());
        if (remote.getRawQuery() != null) {
            b.append('?').append(remote.getRawQuery());
        }
        URI uri;
        try {
            uri = URI.create(b.toString());
        } catch (IllegalArgumentException e) {
            throw invalidResponse("the BITS-Host-Id '" + hostId + "' makes no URL of " + remote, false);
        }
        if (uri.getHost() == null) { // "a.b)c" parses, but as an authority that names no host to connect to
            throw invalidResponse("the BITS-Host-Id '" + hostId + "' makes no URL of " + remote, false);
        }
        return uri;
    }

    /** The local file name for {@code Content-Name}, or null when it is not a plain ASCII name the spec allows. */
    private String contentName() {
        String name = request.localFile().getFileName() == null ? "" : request.localFile().getFileName().toString();
        if (name.isEmpty() || name.length() > 260 || !name.matches("[\\x20-\\x7E&&[^\\\\/:*?\"<>|]]+")) {
            return null;
        }
        return name;
    }

    private String describe(long offset, long length) {
        String range = request.fileSize() == 0 ? "*" : offset + "-" + (offset + length - 1);
        return "Fragment " + range + "/" + request.fileSize() + " of " + url;
    }

    private static TransferFailure invalidResponse(String message, boolean transientError) {
        return new TransferFailure(new JobError(BitsCodes.BG_E_INVALID_SERVER_RESPONSE, ErrorContext.REMOTE_FILE,
                message, null, null, transientError));
    }

    private static TransferFailure mismatch(String message, int status) {
        return new TransferFailure(new JobError(BitsCodes.BG_E_CLIENT_SERVER_PROTOCOL_MISMATCH,
                ErrorContext.REMOTE_FILE, message, status, null, false));
    }

    private static TransferFailure localChanged(String message) {
        return new TransferFailure(new JobError(BitsCodes.BG_E_LOCAL_FILE_CHANGED, ErrorContext.LOCAL_FILE,
                message, null, null, false));
    }
}
