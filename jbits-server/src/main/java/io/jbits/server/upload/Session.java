package io.jbits.server.upload;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One upload session as read from its state file: where it goes, how much of it has arrived, and whether it is
 * finished. An instance is a snapshot for one packet, read and changed only while that packet holds the session's
 * {@link SessionLock} (the spec allows one outstanding request per session, but a client that breaks that rule,
 * Close racing a Fragment, another node of a farm, or the cleanup task must not corrupt it).
 */
final class Session {

    /** Where a session is in the server state machine of [MC-BUP] §3.2 (docs/bits.md §8.6). */
    enum State {
        /** Fragments are arriving (RECEIVE_FRAGMENTS, NOTIFY). */
        RECEIVING,
        /** The upload is stored or the application has answered; waiting for Close-Session (WAIT_FOR_CLOSE). */
        WAITING_FOR_CLOSE
    }

    private static final Pattern GUID = Pattern.compile(
            "[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}");

    /** Total not yet known: no fragment has arrived. */
    static final long UNKNOWN_TOTAL = -1;

    private final String key;
    private final List<String> destination;
    private final String originalUrl;
    private final String clientAddress;
    private final String owner;
    private final Instant createdAt;

    private long totalBytes;
    private long receivedBytes;
    private State state;
    private String replyUrl;
    private Instant lastActivityAt;

    Session(String key, List<String> destination, String originalUrl, String clientAddress, String owner,
            Instant createdAt) {
        this.key = Objects.requireNonNull(key, "key");
        this.destination = List.copyOf(destination);
        this.originalUrl = originalUrl;
        this.clientAddress = clientAddress;
        this.owner = owner;
        this.createdAt = createdAt;
        this.totalBytes = UNKNOWN_TOTAL;
        this.state = State.RECEIVING;
        this.lastActivityAt = createdAt;
    }

    /** A new session with a random GUID; {@code owner} is the authenticated user, or null without users. */
    static Session create(List<String> destination, String originalUrl, String clientAddress, String owner,
            Instant now) {
        return new Session(UUID.randomUUID().toString().toUpperCase(Locale.ROOT), destination, originalUrl,
                clientAddress, owner, now);
    }

    /**
     * The key of a session id as a client sends it, with or without braces, in any case; null when it cannot be
     * one of ours (so a session id never becomes a path outside the session directory).
     */
    static String keyOf(String sessionId) {
        if (sessionId == null) {
            return null;
        }
        String id = sessionId.strip();
        if (id.startsWith("{") && id.endsWith("}")) {
            id = id.substring(1, id.length() - 1);
        }
        id = id.toUpperCase(Locale.ROOT);
        return GUID.matcher(id).matches() ? id : null;
    }

    /** The directory name and map key: the upper-case GUID without braces. */
    String key() {
        return key;
    }

    /** The id as sent on the wire: a braced upper-case GUID, as Windows servers send it. */
    String id() {
        return "{" + key + "}";
    }

    List<String> destination() {
        return destination;
    }

    String originalUrl() {
        return originalUrl;
    }

    String clientAddress() {
        return clientAddress;
    }

    /** The user who created the session, the only one who may send its packets; null when the server has no users. */
    String owner() {
        return owner;
    }

    /** True when a packet of {@code user} (null: none authenticated) may touch this session. */
    boolean ownedBy(String user) {
        return Objects.equals(owner, user);
    }

    long totalBytes() {
        return totalBytes;
    }

    void totalBytes(long newTotalBytes) {
        totalBytes = newTotalBytes;
    }

    long receivedBytes() {
        return receivedBytes;
    }

    void receivedBytes(long newReceivedBytes) {
        receivedBytes = newReceivedBytes;
    }

    State state() {
        return state;
    }

    String replyUrl() {
        return replyUrl;
    }

    /** The upload is stored or handed to the application; {@code newReplyUrl} is null without notification. */
    void finish(String newReplyUrl) {
        state = State.WAITING_FOR_CLOSE;
        replyUrl = newReplyUrl;
    }

    Instant lastActivityAt() {
        return lastActivityAt;
    }

    void touch(Instant now) {
        lastActivityAt = now;
    }

    /** The persistent form (see {@link #fromProperties}). */
    Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("key", key);
        p.setProperty("destination", String.join("/", destination));
        p.setProperty("originalUrl", originalUrl);
        p.setProperty("clientAddress", clientAddress);
        if (owner != null) {
            p.setProperty("owner", owner);
        }
        p.setProperty("createdAt", createdAt.toString());
        p.setProperty("lastActivityAt", lastActivityAt.toString());
        p.setProperty("totalBytes", Long.toString(totalBytes));
        p.setProperty("receivedBytes", Long.toString(receivedBytes));
        p.setProperty("state", state.name());
        if (replyUrl != null) {
            p.setProperty("replyUrl", replyUrl);
        }
        return p;
    }

    /**
     * Reads a session written by {@link #toProperties}.
     *
     * @throws IllegalArgumentException when a property is missing or malformed
     */
    static Session fromProperties(Properties p) {
        String key = keyOf(required(p, "key"));
        if (key == null) {
            throw new IllegalArgumentException("key '" + p.getProperty("key") + "' is not a session GUID");
        }
        Session session = new Session(key, List.of(required(p, "destination").split("/")), required(p, "originalUrl"),
                required(p, "clientAddress"), p.getProperty("owner"), Instant.parse(required(p, "createdAt")));
        session.lastActivityAt = Instant.parse(required(p, "lastActivityAt"));
        session.totalBytes = Long.parseLong(required(p, "totalBytes"));
        session.receivedBytes = Long.parseLong(required(p, "receivedBytes"));
        session.state = State.valueOf(required(p, "state"));
        session.replyUrl = p.getProperty("replyUrl");
        return session;
    }

    private static String required(Properties p, String name) {
        String value = p.getProperty(name);
        if (value == null) {
            throw new IllegalArgumentException("property '" + name + "' is missing");
        }
        return value;
    }

    @Override
    public String toString() {
        return "Session[" + id() + " " + String.join("/", destination) + " " + receivedBytes + "/" + totalBytes + " "
                + state + "]";
    }
}
