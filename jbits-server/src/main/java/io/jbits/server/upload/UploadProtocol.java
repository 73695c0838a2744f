package io.jbits.server.upload;

import io.jbits.bup.Ack;
import io.jbits.bup.ContentRange;
import io.jbits.bup.Headers;
import io.jbits.bup.Protocol;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The server side of [MC-BUP]: what each packet does to the sessions and the Ack it earns (docs/bits.md
 * §8.3–8.7). Fragments follow the contiguous-prefix rule: bytes are appended only at the next expected offset, the
 * part of a fragment that was already received is skipped and never rewritten, a fragment that starts beyond the
 * offset gets 416 with the offset, and a fragment is on disk (forced, with the state that counts it) before its
 * Ack. Nodes of a farm may share the session directory: each packet holds the session's lock and reads its state
 * from disk (see {@link SessionTable}).
 */
final class UploadProtocol {

    private static final System.Logger LOG = System.getLogger(UploadProtocol.class.getName());

    /** The Windows server reads at most this many GUIDs from {@code BITS-Supported-Protocols}. */
    private static final int MAX_PROTOCOLS = 100;

    /**
     * The largest fragment a client may send, announced in {@link Headers#MAX_FRAGMENT}. Why: each fragment is a
     * round trip and a force before its Ack while the client waits, and the 13 MB of a Windows client meant about
     * 80 such stalls per GiB on a fast link. The server streams a fragment to its file and holds none in memory, so
     * the size costs nothing here; the client still grows to it only while fragments are acknowledged fast.
     */
    static final long MAX_FRAGMENT_BYTES = 64L << 20;

    private final UploadConfig config;
    private final SessionTable sessions;
    private final SessionStore store;
    private final UploadTarget target;
    private final Notifier notifier;
    private final UploadEvents events;

    UploadProtocol(UploadConfig config, SessionTable sessions, SessionStore store, UploadTarget target,
            Notifier notifier, UploadEvents events) {
        this.events = events;
        this.config = config;
        this.sessions = sessions;
        this.store = store;
        this.target = target;
        this.notifier = notifier;
    }

    /** Ping: always 200, no session; it tells the largest fragment taken, as Create-Session does. */
    Ack ping() {
        return Ack.ok().withMaxFragmentBytes(MAX_FRAGMENT_BYTES);
    }

    /** Create-Session: negotiates the protocol, checks the destination and opens a session. */
    Ack createSession(Packet packet) throws UploadError, IOException {
        List<String> destination = UploadTarget.segments(packet.rawPath());
        String offered = packet.header(Headers.SUPPORTED_PROTOCOLS);
        if (offered == null || offered.isBlank()) {
            throw UploadError.invalid("Create-Session needs BITS-Supported-Protocols");
        }
        String[] protocols = offered.strip().split("[\\s,]+");
        boolean supported = false;
        for (int i = 0; i < Math.min(protocols.length, MAX_PROTOCOLS) && !supported; i++) {
            supported = protocols[i].equalsIgnoreCase(Protocol.GUID);
        }
        if (!supported) {
            throw UploadError.invalid("none of the protocols '" + offered + "' is " + Protocol.GUID);
        }
        target.checkWritable(destination, config.allowOverwrite());
        Session session = sessions.create(destination, packet.url(), packet.clientAddress(), packet.user());
        LOG.log(Level.DEBUG, "Created {0} for {1}", session, packet.clientAddress());
        return Ack.ok()
                .withProtocol(Protocol.GUID)
                .withSessionId(session.id())
                .withMaxFragmentBytes(MAX_FRAGMENT_BYTES)
                .withHostId(config.hostId(), config.hostIdFallback() == null ? Ack.NEVER
                        : config.hostIdFallback().toSeconds());
    }

    /**
     * Fragment: appends the new part of the body at the session's offset and, after the last byte, stores the file
     * or notifies the application. The whole packet runs under the session's lock, and the offset is the one on
     * disk, so on a farm no two nodes ever accept the same bytes and none appends at an offset another has passed.
     *
     * @throws IOException when the client's body cannot be read (the connection is gone; nothing is counted)
     */
    Ack fragment(Packet packet, FragmentBody body) throws UploadError, IOException {
        try (SessionTable.Held held = requireSession(packet)) {
            Session session = held.session();
            ContentRange range = contentRange(packet.header(Headers.CONTENT_RANGE), packet.contentLengthBytes());
            if (session.totalBytes() == Session.UNKNOWN_TOTAL) {
                if (range.totalBytes() > config.maxUploadBytes()) {
                    throw UploadError.tooLarge(range.totalBytes(), config.maxUploadBytes());
                }
                session.totalBytes(range.totalBytes());
            } else if (session.totalBytes() != range.totalBytes()) {
                throw UploadError.invalid("the total changed from " + session.totalBytes() + " to "
                        + range.totalBytes() + " bytes");
            }
            if (session.state() == Session.State.WAITING_FOR_CLOSE) {
                body.discard();
                return fragmentAck(session);
            }
            Path request = store.requestFile(session);
            long received = reconcile(request, session.receivedBytes());
            session.receivedBytes(received);
            if (range.firstByte() > received) {
                return Ack.of(416).withSessionId(session.id()).withReceivedBytes(received);
            }
            long alreadyHeld = received - range.firstByte();
            if (alreadyHeld >= range.lengthBytes()) {
                body.discard();
            } else {
                body.skip(alreadyHeld);
                append(request, received, range.lengthBytes() - alreadyHeld, body);
                events.received(range.lengthBytes() - alreadyHeld);
                session.receivedBytes(range.endByte());
            }
            session.touch(sessions.now());
            save(session);
            if (session.receivedBytes() == session.totalBytes()) {
                complete(session, packet);
            }
            return fragmentAck(session);
        }
    }

    /**
     * The acknowledged length of the request file, which the caller's lock makes current: bytes beyond it were
     * written by a node that died (or lost power) before its Ack and are cut off, so the next fragment starts at
     * the last durable byte; a file shorter than it (data lost with the storage) lowers it.
     */
    private static long reconcile(Path request, long acknowledgedBytes) throws UploadError {
        try {
            if (!Files.exists(request)) {
                return acknowledgedBytes;
            }
            long length = Files.size(request);
            if (length > acknowledgedBytes) {
                try (FileChannel channel = FileChannel.open(request, StandardOpenOption.WRITE)) {
                    channel.truncate(acknowledgedBytes);
                    channel.force(true);
                }
                return acknowledgedBytes;
            }
            return length;
        } catch (IOException e) {
            throw UploadError.ioFailure(e);
        }
    }

    /** Close-Session: deletes the session; before the last byte, that discards the upload. */
    Ack closeSession(Packet packet) throws UploadError, IOException {
        try (SessionTable.Held held = requireSession(packet)) {
            Session session = held.session();
            boolean entityGone = session.state() == Session.State.RECEIVING
                    && !Files.exists(store.requestFile(session));
            remove(held);
            return Ack.of(entityGone ? 404 : 200).withSessionId(session.id());
        }
    }

    /** Cancel-Session: deletes everything of the session; a file already stored stays. */
    Ack cancelSession(Packet packet) throws UploadError, IOException {
        try (SessionTable.Held held = requireSession(packet)) {
            remove(held);
            return Ack.ok().withSessionId(held.session().id());
        }
    }

    /** The Content-Range of a Fragment with {@code contentLengthBytes} of body; 400 E_INVALIDARG when it is bad. */
    static ContentRange contentRange(String header, long contentLengthBytes) throws UploadError {
        try {
            return ContentRange.parse(header, contentLengthBytes);
        } catch (IllegalArgumentException e) {
            throw UploadError.invalid(e.getMessage());
        }
    }

    /** The packet's session, locked, or an error; the caller closes it (which releases the lock). */
    private SessionTable.Held requireSession(Packet packet) throws UploadError, IOException {
        if (packet.sessionId() == null || packet.sessionId().isBlank()) {
            throw UploadError.invalid("the packet needs a BITS-Session-Id");
        }
        SessionTable.Held held = sessions.lock(packet.sessionId());
        if (held == null || !held.session().ownedBy(packet.user())) {
            // Another user's session is as good as absent: it is neither changed nor confirmed to exist.
            if (held != null) {
                held.close();
            }
            throw UploadError.sessionNotFound(packet.sessionId());
        }
        return held;
    }

    private Ack fragmentAck(Session session) {
        return Ack.ok()
                .withSessionId(session.id())
                .withReceivedBytes(session.receivedBytes())
                .withReplyUrl(session.state() == Session.State.WAITING_FOR_CLOSE ? session.replyUrl() : null);
    }

    /**
     * Writes {@code lengthBytes} of {@code body} at {@code offset} and forces them to disk. A body that breaks off
     * leaves the file at {@code offset} again. The body goes to the file straight from the network buffers
     * ({@link FragmentBody}); write-back starts while it arrives ({@link EarlyWriteback}); the force at the end is
     * what makes the bytes durable before the Ack.
     */
    private void append(Path file, long offset, long lengthBytes, FragmentBody body)
            throws UploadError, IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw UploadError.ioFailure(e);
        }
        try (channel; EarlyWriteback early = new EarlyWriteback(file)) {
            try {
                body.writeTo(channel, offset, lengthBytes, early::written);
            } catch (FragmentBody.WriteFailed e) {
                throw UploadError.ioFailure(e.getCause());
            }
            long forceStart = System.nanoTime();
            force(channel);
            events.forced(System.nanoTime() - forceStart);
        } catch (IOException | UploadError e) {
            truncate(file, offset, e);
            throw e;
        }
    }

    private static void force(FileChannel channel) throws UploadError {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw UploadError.ioFailure(e);
        }
    }

    private static void truncate(Path file, long lengthBytes, Exception failure) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(lengthBytes);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** The last byte is in: store the file (no notification) or hand it to the application. */
    private void complete(Session session, Packet packet) throws UploadError, IOException {
        Path request = store.requestFile(session);
        if (config.notifyType() == NotifyType.NONE) {
            Path stored = publish(session, request);
            session.finish(null);
            LOG.log(Level.INFO, "Stored {0} bytes at {1}", Long.toString(session.totalBytes()), stored);
        } else {
            URI notifyTarget = Notifier.target(config.notifyUrl(), packet.base(), URI.create(session.originalUrl())
                    .getRawQuery());
            /*
             * Exactly once across a farm: the claim (an exclusive create, forced) is written before the call and
             * the finished state (the done marker) after it, both under the session's lock. Finding a claim without
             * the finished state means the node that held the lock died between the two, and nobody can know
             * whether the application got that call: the upload is notified again, marked as attempt 2 or more,
             * with the session's GUID as the key to drop a duplicate by (at least once in that window, exactly once
             * for an application that keys on the GUID; never zero times, which would lose the upload).
             */
            int attempt = store.claimNotification(session);
            Notifier.Outcome outcome;
            try {
                outcome = notifier.notify(notifyTarget, session.originalUrl(), request, store.responseFile(session),
                        session.key(), attempt);
            } catch (UploadError e) {
                events.notified(false);
                store.releaseClaim(session);
                throw e;
            }
            events.notified(true);
            String replyUrl = outcome.staticResponseUrl() != null
                    ? outcome.staticResponseUrl()
                    : packet.base() + ReplySender.PATH_SEGMENT + "/" + session.key();
            if (replyUrl.length() > UploadConfig.MAX_URL_CHARS) {
                throw UploadError.invalid("the reply URL has " + replyUrl.length() + " characters, more than "
                        + UploadConfig.MAX_URL_CHARS);
            }
            if (outcome.copyToDestination()) {
                publish(session, request);
            }
            session.finish(replyUrl);
        }
        save(session);
    }

    /**
     * Publishes exactly once, also when the node that began it died: the caller holds the session's lock and the
     * state says the session is not finished, so the only earlier attempt can be one that died halfway.
     */
    private Path publish(Session session, Path request) throws UploadError, IOException {
        Path destination = target.destination(session.destination());
        if (!Files.exists(request) && Files.exists(destination)) {
            // Stored before a crash, but the state saying so was lost.
            return destination;
        }
        if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS) && Files.isSameFile(request, destination)) {
            // Linked into place, but the node died before it removed the request file.
            Files.delete(request);
            return destination;
        }
        return target.publish(request, session.destination(), config.allowOverwrite());
    }

    private void save(Session session) throws UploadError {
        try {
            store.save(session);
        } catch (IOException e) {
            throw UploadError.ioFailure(e);
        }
    }

    private void remove(SessionTable.Held held) throws UploadError {
        try {
            sessions.remove(held);
        } catch (IOException e) {
            throw UploadError.ioFailure(e);
        }
        LOG.log(Level.DEBUG, "Removed {0}", held.session());
    }
}
