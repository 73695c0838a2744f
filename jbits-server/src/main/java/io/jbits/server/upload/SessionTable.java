package io.jbits.server.upload;

import io.jbits.bup.Hresult;
import java.io.IOException;
import java.nio.file.Path;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open sessions: created, found by id, locked for a packet, counted per client address, and removed on Close,
 * Cancel or expiry.
 *
 * <p>The table keeps nothing in memory that can change (only each session's client address, which cannot, to count
 * the sessions of a client). Sessions used to be loaded once at start and then trusted from memory;
 * with several nodes sharing the session directory (an upload farm) that was the cause of silently corrupted
 * uploads: each node's idea of a session's acknowledged length went stale as soon as another node took a
 * fragment, so a node would (a) append at its stale offset past the real end of the file, leaving a hole of zeros
 * that later counted as received, (b) after a broken fragment truncate the file back to its stale offset, cutting
 * off bytes another node had acknowledged, (c) on start, cut every request file back to a state file that a
 * stale node had just rewritten with a smaller length, and (d) publish or notify a session twice. Now every packet
 * reads the state from disk while it holds the session's {@link SessionLock}, so the disk is the only truth and
 * every node sees the latest acknowledged length.
 */
final class SessionTable {

    private static final System.Logger LOG = System.getLogger(SessionTable.class.getName());

    private final SessionStore store;
    private final Clock clock;
    private volatile Duration sessionTimeout;
    private volatile int maxSessionsPerClient;
    /**
     * The client address of each session counted so far, which never changes for a session (its key, a random
     * GUID, is never reused); entries go when their session is no longer on disk.
     */
    private final Map<String, String> clientOf = new ConcurrentHashMap<>();

    /** A session read while its lock is held; closing it releases the lock. */
    record Held(Session session, SessionLock lock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            lock.close();
        }
    }

    SessionTable(SessionStore store, Clock clock, Duration sessionTimeout, int maxSessionsPerClient) {
        this.store = store;
        this.clock = clock;
        this.sessionTimeout = sessionTimeout;
        this.maxSessionsPerClient = maxSessionsPerClient;
    }

    /** Applies new limits (a reloaded configuration) to the open sessions and the ones to come. */
    void limits(Duration newSessionTimeout, int newMaxSessionsPerClient) {
        sessionTimeout = newSessionTimeout;
        maxSessionsPerClient = newMaxSessionsPerClient;
    }

    /** Cleans up what an earlier run (of this node or another) left behind and reports the sessions found. */
    void load() throws IOException {
        removeExpired();
        int found = size();
        if (found > 0) {
            LOG.log(Level.INFO, "Resumed {0} upload session(s) from {1}", Integer.toString(found), store.root());
        }
    }

    /**
     * Stores a new session, unless its client already holds the maximum number of sessions (expired sessions are
     * cleaned up first, as IIS does when a user reaches the limit). The count is of the sessions on disk, so the
     * limit holds across a farm: the new session is counted again once it exists, and when two nodes created
     * sessions for one client at the same moment, both may refuse theirs (never both accept beyond the limit).
     *
     * @throws UploadError 503 when the client has too many open sessions
     */
    Session create(List<String> destination, String originalUrl, String clientAddress, String owner)
            throws UploadError, IOException {
        if (countOf(clientAddress) >= maxSessionsPerClient) {
            removeExpired();
        }
        if (countOf(clientAddress) >= maxSessionsPerClient) {
            throw tooMany(clientAddress);
        }
        Session session = Session.create(destination, originalUrl, clientAddress, owner, clock.instant());
        store.create(session);
        if (countOf(clientAddress) > maxSessionsPerClient) {
            store.delete(session.key());
            throw tooMany(clientAddress);
        }
        return session;
    }

    private UploadError tooMany(String clientAddress) {
        return new UploadError(503, Hresult.ofHttpStatus(503), Hresult.CONTEXT_REMOTE_FILE,
                "the client " + clientAddress + " already has " + maxSessionsPerClient
                        + " open upload sessions; close some or wait for them to expire");
    }

    /**
     * The sessions on disk of this client address. One listing of the directory; a session's state is read only the
     * first time it is counted, as its client address never changes (a Create-Session used to read every open
     * session's state three times: 24 reads each with 8 uploads at once, 3,000 with 1,000 open sessions).
     */
    private long countOf(String clientAddress) throws IOException {
        List<String> keys = store.keys();
        clientOf.keySet().retainAll(new HashSet<>(keys));
        long count = 0;
        for (String key : keys) {
            String client = clientOf.get(key);
            if (client == null) {
                Session session = store.read(key);
                if (session == null) {
                    continue; // half made, damaged or just removed: not counted, not remembered
                }
                client = session.clientAddress();
                clientOf.put(key, client);
            }
            if (client.equals(clientAddress)) {
                count++;
            }
        }
        return count;
    }

    /** The session with this wire id as it is on disk now, without its lock (for reading replies), or null. */
    Session find(String sessionId) throws IOException {
        String key = Session.keyOf(sessionId);
        return key == null ? null : store.read(key);
    }

    /**
     * Waits for the lock of the session with this wire id and reads its state under it; null when there is no
     * such session (or it was removed while this waited).
     */
    Held lock(String sessionId) throws IOException {
        String key = Session.keyOf(sessionId);
        if (key == null) {
            return null;
        }
        SessionLock lock = SessionLock.acquire(key, store.lockFile(key));
        if (lock == null) {
            return null;
        }
        try {
            Session session = store.read(key);
            if (session == null) {
                lock.close();
                return null;
            }
            return new Held(session, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Deletes a held session from disk; its lock is released on the way. */
    void remove(Held held) throws IOException {
        Path trash = store.trash(held.session().key());
        held.close();
        if (trash != null) {
            SessionStore.deleteQuietly(trash);
        }
    }

    /**
     * Deletes every session without a successful packet for longer than the session timeout, with its data and
     * reply, and what dead nodes left half-made or half-deleted. Any node may run it at any time: a session is
     * deleted only under its lock, taken without waiting, so one busy with a packet (on any node) is skipped, and two
     * nodes never delete the same session.
     *
     * @return how many sessions were deleted
     */
    int removeExpired() {
        Instant oldestAllowed = clock.instant().minus(sessionTimeout);
        int removed = 0;
        try {
            store.sweep(oldestAllowed);
            for (String key : store.keys()) {
                if (removeIfExpired(key, oldestAllowed)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot clean up the upload sessions in " + store.root(), e);
        }
        return removed;
    }

    private boolean removeIfExpired(String key, Instant oldestAllowed) {
        try {
            Session unlocked = store.read(key);
            boolean candidate = unlocked == null
                    ? isOld(store.modifiedAt(key), oldestAllowed)
                    : unlocked.lastActivityAt().isBefore(oldestAllowed);
            if (!candidate) {
                return false;
            }
            try (SessionLock lock = SessionLock.tryAcquire(key, store.lockFile(key))) {
                if (lock == null) {
                    return false;
                }
                // Read again under the lock: a packet on another node may have touched it since.
                Session session = store.read(key);
                if (session == null ? !store.damaged(key) : !session.lastActivityAt().isBefore(oldestAllowed)) {
                    return false;
                }
                Path trash = store.trash(key);
                lock.close();
                if (trash != null) {
                    SessionStore.deleteQuietly(trash);
                }
                if (session == null) {
                    LOG.log(Level.WARNING, "Deleted {0}: not a readable upload session", store.directory(key));
                } else {
                    LOG.log(Level.INFO, "Deleted upload session {0} to {1}: idle since {2}", session.id(),
                            String.join("/", session.destination()), session.lastActivityAt());
                }
                return true;
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot delete the expired upload session " + key, e);
            return false;
        }
    }

    private static boolean isOld(Instant modifiedAt, Instant oldestAllowed) {
        return modifiedAt != null && modifiedAt.isBefore(oldestAllowed);
    }

    /** The number of sessions on disk (of every node sharing the directory). */
    int size() {
        try {
            return store.keys().size();
        } catch (IOException e) {
            return 0;
        }
    }

    Instant now() {
        return clock.instant();
    }
}
