package io.jbits.server.upload;

import io.jbits.bup.Hresult;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open sessions: found by id, counted per client address, and removed on Close, Cancel or expiry, in memory and
 * on disk together.
 */
final class SessionTable {

    private static final System.Logger LOG = System.getLogger(SessionTable.class.getName());

    private final SessionStore store;
    private final Clock clock;
    private volatile Duration sessionTimeout;
    private volatile int maxSessionsPerClient;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Object createLock = new Object();

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

    /** Loads the sessions persisted by an earlier run. */
    void load() throws IOException {
        for (Session session : store.loadAll()) {
            sessions.put(session.key(), session);
        }
        if (!sessions.isEmpty()) {
            LOG.log(Level.INFO, "Resumed {0} upload session(s) from {1}", Integer.toString(sessions.size()),
                    store.directory(sessions.values().iterator().next()).getParent());
        }
    }

    /**
     * Stores and registers a new session, unless its client already holds the maximum number of sessions (expired
     * sessions are cleaned up first, as IIS does when a user reaches the limit).
     *
     * @throws UploadError 503 when the client has too many open sessions
     */
    Session create(List<String> destination, String originalUrl, String clientAddress, String owner)
            throws UploadError, IOException {
        synchronized (createLock) {
            if (countOf(clientAddress) >= maxSessionsPerClient) {
                removeExpired();
            }
            if (countOf(clientAddress) >= maxSessionsPerClient) {
                throw new UploadError(503, Hresult.ofHttpStatus(503), Hresult.CONTEXT_REMOTE_FILE,
                        "the client " + clientAddress + " already has " + maxSessionsPerClient
                                + " open upload sessions; close some or wait for them to expire");
            }
            Session session = Session.create(destination, originalUrl, clientAddress, owner, clock.instant());
            store.create(session);
            sessions.put(session.key(), session);
            return session;
        }
    }

    private long countOf(String clientAddress) {
        return sessions.values().stream().filter(s -> s.clientAddress().equals(clientAddress)).count();
    }

    /** The session with this wire id, or null. */
    Session find(String sessionId) {
        String key = Session.keyOf(sessionId);
        return key == null ? null : sessions.get(key);
    }

    /** Deletes a session from memory and disk; the caller holds its lock. */
    void remove(Session session) throws IOException {
        session.markRemoved();
        sessions.remove(session.key(), session);
        store.delete(session);
    }

    /**
     * Deletes every session without a successful packet for longer than the session timeout, with its data and
     * reply. A session busy with a request right now is not abandoned and is skipped.
     *
     * @return how many sessions were deleted
     */
    int removeExpired() {
        Instant oldestAllowed = clock.instant().minus(sessionTimeout);
        int removed = 0;
        for (Session session : sessions.values()) {
            if (!session.lock().tryLock()) {
                continue;
            }
            try {
                if (!session.removed() && session.lastActivityAt().isBefore(oldestAllowed)) {
                    remove(session);
                    removed++;
                    LOG.log(Level.INFO, "Deleted upload session {0} to {1}: idle since {2}", session.id(),
                            String.join("/", session.destination()), session.lastActivityAt());
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "Cannot delete the expired upload session " + session.id(), e);
            } finally {
                session.lock().unlock();
            }
        }
        return removed;
    }

    int size() {
        return sessions.size();
    }

    Instant now() {
        return clock.instant();
    }
}
