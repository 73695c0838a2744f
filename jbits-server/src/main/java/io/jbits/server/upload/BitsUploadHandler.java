package io.jbits.server.upload;

import io.jbits.bup.Ack;
import io.jbits.bup.Headers;
import io.jbits.bup.Hresult;
import io.jbits.bup.PacketType;
import io.jbits.bup.Protocol;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The server side of the BITS upload protocol ([MC-BUP]) as a Jetty 12 core handler: Windows clients
 * ({@code Start-BitsTransfer -TransferType Upload}, {@code bitsadmin /create /upload}) and jbits upload to it.
 *
 * <pre>{@code
 * try (FileServer server = FileServer.builder(ServeConfig.of(dir))
 *         .handler(new BitsUploadHandler(UploadConfig.of(uploads)))
 *         .start()) { ... }
 * }</pre>
 *
 * <p>It answers {@code BITS_POST}, and {@code POST} with {@code X-Http-Method-Override: BITS_POST}, for every path
 * of its context, which maps into {@link UploadConfig#uploadDir()}; it serves the replies of upload-reply sessions
 * with GET and HEAD below {@code <context>/.jbits-reply/}; it answers 404 for any other path with a {@code .jbits-}
 * segment, so the session directory stays private when the upload directory is also served. Everything else
 * passes to the next handler ({@code handle} returns false).
 *
 * <p>Sessions are persisted in {@link UploadConfig#sessionDir()}: a new handler (after a restart) on the same
 * directories continues them. Sessions idle longer than the session timeout are deleted at start and by a
 * periodic task. Start and stop it with its server, as any Jetty handler.
 */
public final class BitsUploadHandler extends Handler.Abstract {

    private static final System.Logger LOG = System.getLogger(BitsUploadHandler.class.getName());

    /** The Windows server refuses header values longer than 4 KB (400 E_INVALIDARG). */
    static final int MAX_HEADER_CHARS = 4096;

    /**
     * The largest refused body read to its end so that the client gets its Ack: a fragment of the largest size this
     * server announces (BITS fragments are ≤ 13 MB; jbits clients grow to {@link UploadProtocol#MAX_FRAGMENT_BYTES}).
     */
    private static final long MAX_DRAINED_BODY_BYTES = Math.max(32L << 20, UploadProtocol.MAX_FRAGMENT_BYTES);

    /** The IIS server gives the application 5 minutes to answer a notification. */
    static final Duration NOTIFY_TIMEOUT = Duration.ofMinutes(5);

    /** IIS cleans up every 12 hours; shorter session timeouts are checked at a quarter of their length. */
    private static final Duration MAX_CLEANUP_INTERVAL = Duration.ofHours(12);
    private static final Duration MIN_CLEANUP_INTERVAL = Duration.ofMillis(50);

    private final UploadEvents events;
    private final String urlPrefix;
    private volatile UploadConfig config;
    private volatile Predicate<String> userAllowed = user -> true;
    private volatile UserPath userPath = UserPath.NONE;
    private volatile boolean allowGet = true;
    private volatile Path realUploadDir;
    private final Clock clock;
    private final Duration notifyTimeout;
    private volatile Parts parts;

    /** A handler for {@code config}; it works once started (with its server). */
    public BitsUploadHandler(UploadConfig config) {
        this(config, UploadEvents.NONE);
    }

    /** A handler for {@code config} that reports what it does to {@code events} (metrics). */
    public BitsUploadHandler(UploadConfig config, UploadEvents events) {
        this(config, events, "");
    }

    /**
     * A handler for the URLs below {@code urlPrefix} (such as {@code /crash-reports}) in its context, as an IIS
     * virtual directory; other paths pass to the next handler.
     */
    public BitsUploadHandler(UploadConfig config, UploadEvents events, String urlPrefix) {
        this(config, events, urlPrefix, Clock.systemUTC(), NOTIFY_TIMEOUT);
    }

    BitsUploadHandler(UploadConfig config, Clock clock, Duration notifyTimeout) {
        this(config, UploadEvents.NONE, "", clock, notifyTimeout);
    }

    BitsUploadHandler(UploadConfig config, UploadEvents events, String urlPrefix, Clock clock,
            Duration notifyTimeout) {
        super(InvocationType.BLOCKING);
        this.config = Objects.requireNonNull(config, "config");
        this.events = Objects.requireNonNull(events, "events");
        String prefix = Objects.requireNonNull(urlPrefix, "urlPrefix").strip();
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.contains("//"))) {
            throw new IllegalArgumentException("the URL prefix '" + urlPrefix + "' is not an absolute path");
        }
        this.urlPrefix = prefix;
        this.clock = clock;
        this.notifyTimeout = notifyTimeout;
    }

    /**
     * A handler for a server without uploads: every BITS packet but Ping gets 501 with {@code E_ACCESSDENIED}, which
     * tells a BITS client that uploads are not enabled here (a fatal error) instead of a puzzling 405.
     */
    public static Handler uploadsDisabled() {
        return new UploadsDisabledHandler();
    }

    /** The configuration this handler runs with. */
    public UploadConfig config() {
        return config;
    }

    /** The URL prefix below the context, without a trailing slash; empty for the whole context. */
    public String urlPrefix() {
        return urlPrefix;
    }

    /**
     * Lets only the users {@code allowed} accepts send packets (others get 403 with {@code E_ACCESSDENIED}); every
     * authenticated user, and requests without authentication, unless this is called.
     */
    public void allowUsers(Predicate<String> allowed) {
        this.userAllowed = Objects.requireNonNull(allowed, "allowed");
    }

    /**
     * Stores each upload below the path of its user ({@code {user}} in the directory's path template), from the
     * next Create-Session on; {@link UserPath#NONE} (the default) stores uploads directly in the upload directory.
     */
    public void storeByUser(UserPath path) {
        this.userPath = Objects.requireNonNull(path, "path");
    }

    /**
     * Lets plain GET and HEAD read the uploaded files (the default) or not: without, they get 403 below this
     * handler's URL prefix and for any file the server would serve from inside the upload directory, as IIS answers
     * for a virtual directory without read permission; BITS packets and upload replies work either way.
     */
    public void allowGet(boolean allowed) {
        this.allowGet = allowed;
    }

    /**
     * Takes new settings for the same directories (a reloaded configuration file): the open sessions stay, with
     * their data, and new limits apply from the next packet on.
     *
     * @throws IllegalArgumentException when {@code newConfig} names another upload or session directory
     */
    public void reconfigure(UploadConfig newConfig) {
        UploadConfig old = config;
        if (!newConfig.uploadDir().equals(old.uploadDir()) || !newConfig.sessionDir().equals(old.sessionDir())) {
            throw new IllegalArgumentException("a reconfiguration keeps the upload and session directories");
        }
        synchronized (this) {
            config = newConfig;
            Parts current = parts;
            if (current != null) {
                parts = current.reconfigured(newConfig, events, notifyTimeout);
            }
        }
        LOG.log(Level.INFO, "New settings for {0}: {1}", newConfig.uploadDir(), newConfig);
    }

    /** The number of open sessions (of every client), or 0 when not started. */
    public int openSessions() {
        Parts current = parts;
        return current == null ? 0 : current.sessions.size();
    }

    /** True for {@code BITS_POST} and for {@code POST} with the method-override header. */
    static boolean isBitsPost(Request request) {
        String method = request.getMethod();
        return Protocol.METHOD.equalsIgnoreCase(method) || ("POST".equalsIgnoreCase(method) && Protocol.METHOD
                .equalsIgnoreCase(String.valueOf(request.getHeaders().get(Headers.METHOD_OVERRIDE)).strip()));
    }

    @Override
    protected void doStart() throws Exception {
        Path uploadDir = config.uploadDir();
        if (!Files.isDirectory(uploadDir)) {
            throw new IOException("the upload directory " + uploadDir + " does not exist or is not a directory");
        }
        Path realUploadDir = uploadDir.toRealPath();
        this.realUploadDir = realUploadDir;
        Path sessionDir = config.sessionDir();
        if (!Files.isDirectory(sessionDir)) {
            Files.createDirectories(sessionDir);
            try {
                Files.setPosixFilePermissions(sessionDir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the directory keeps its inherited permissions.
            }
        }
        Path realSessionDir = sessionDir.toRealPath();
        if (!Files.getFileStore(realUploadDir).equals(Files.getFileStore(realSessionDir))) {
            throw new IOException("the session directory " + realSessionDir + " is not on the file system of the "
                    + "upload directory " + realUploadDir + ": finished uploads could not be renamed into place");
        }
        SessionStore store = new SessionStore(realSessionDir);
        SessionTable sessions = new SessionTable(store, clock, config.sessionTimeout(), config.maxSessionsPerClient());
        sessions.load();
        sessions.removeExpired();
        Notifier notifier = config.notifyType() == NotifyType.NONE ? null
                : new Notifier(config.notifyType(), notifyTimeout);
        UploadTarget target = new UploadTarget(realUploadDir, realSessionDir);
        UploadProtocol protocol = new UploadProtocol(config, sessions, store, target, notifier, events);
        ScheduledExecutorService cleanup = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("jbits-upload-cleanup").factory());
        parts = new Parts(sessions, store, target, protocol, new ReplySender(sessions, store), notifier, cleanup,
                scheduleCleanup(cleanup, sessions, config.sessionTimeout()));
        super.doStart();
        LOG.log(Level.INFO, "Receiving BITS uploads into {0} (sessions in {1})", realUploadDir, realSessionDir);
    }

    private static ScheduledFuture<?> scheduleCleanup(ScheduledExecutorService cleanup, SessionTable sessions,
            Duration sessionTimeout) {
        long intervalMillis = cleanupInterval(sessionTimeout).toMillis();
        return cleanup.scheduleWithFixedDelay(sessions::removeExpired, intervalMillis, intervalMillis,
                TimeUnit.MILLISECONDS);
    }

    static Duration cleanupInterval(Duration sessionTimeout) {
        Duration quarter = sessionTimeout.dividedBy(4);
        if (quarter.compareTo(MIN_CLEANUP_INTERVAL) < 0) {
            return MIN_CLEANUP_INTERVAL;
        }
        return quarter.compareTo(MAX_CLEANUP_INTERVAL) > 0 ? MAX_CLEANUP_INTERVAL : quarter;
    }

    @Override
    protected void doStop() throws Exception {
        Parts stopping = parts;
        parts = null;
        if (stopping != null) {
            stopping.cleanup.shutdownNow();
            if (stopping.notifier != null) {
                stopping.notifier.close();
            }
        }
        super.doStop();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Parts current = parts;
        if (current == null) {
            return false;
        }
        String pathInContext = Request.getPathInContext(request);
        if (!allowGet && ReadAccess.isRead(request) && !hasReservedSegment(pathInContext)
                && (inPrefix(pathInContext) || ReadAccess.servesFrom(request, pathInContext, realUploadDir))) {
            Response.writeError(request, response, callback, 403);
            return true;
        }
        if (!urlPrefix.isEmpty()) {
            if (!inPrefix(pathInContext)) {
                return false;
            }
            pathInContext = pathInContext.substring(urlPrefix.length());
        }
        if (!isBitsPost(request)) {
            if (pathInContext != null && pathInContext.startsWith("/" + ReplySender.PATH_SEGMENT + "/")) {
                current.replies.send(ReplySender.keyOf(pathInContext), request, response, callback);
                return true;
            }
            if (hasReservedSegment(pathInContext)) {
                Response.writeError(request, response, callback, 404);
                return true;
            }
            return false;
        }
        String sessionId = request.getHeaders().get(Headers.SESSION_ID);
        Ack ack;
        try {
            if (!userAllowed.test(userOf(request))) {
                throw UploadError.accessDenied(403, "the user " + userOf(request) + " may not upload here");
            }
            ack = dispatch(current.protocol, request, urlPrefix, userPath);
        } catch (UploadError e) {
            LOG.log(Level.DEBUG, "Refused {0} {1}: {2} {3}", request.getMethod(), request.getHttpURI(),
                    Integer.toString(e.status()), e.getMessage());
            ack = e.ack(sessionId == null || sessionId.length() > 100 ? null : sessionId.strip());
        }
        drainUnreadBody(request);
        events.answered(PacketType.parse(request.getHeaders().get(Headers.PACKET_TYPE)), ack);
        AckWriter.send(ack, response, callback);
        return true;
    }

    /**
     * Reads what is left of a refused fragment's body before the Ack goes out. A server that answers and closes
     * with unread bytes in its receive buffer makes the kernel send a reset, and the client never sees the Ack
     * (416 with the offset to go on from) it needs. Bodies above the limit are not worth the traffic: Jetty closes
     * that connection instead.
     */
    private static void drainUnreadBody(Request request) {
        long length = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (length > 0 && length <= MAX_DRAINED_BODY_BYTES) {
            try {
                Content.Source.consumeAll(request);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "Could not read the rest of a refused body", e);
            }
        }
    }

    private static Ack dispatch(UploadProtocol protocol, Request request, String urlPrefix, UserPath userPath)
            throws UploadError, IOException {
        HttpFields headers = request.getHeaders();
        for (HttpField field : headers) {
            String value = field.getValue();
            if (value != null && value.length() > MAX_HEADER_CHARS) {
                throw UploadError.invalid("the header " + field.getName() + " has " + value.length()
                        + " characters, more than " + MAX_HEADER_CHARS);
            }
        }
        String type = headers.get(Headers.PACKET_TYPE);
        if (type == null) {
            throw UploadError.invalid("a " + Protocol.METHOD + " request needs " + Headers.PACKET_TYPE);
        }
        PacketType packetType = PacketType.parse(type);
        if (packetType == null) {
            throw UploadError.invalid("unknown packet type '" + type + "'");
        }
        boolean framedByLength = headers.contains(HttpHeader.CONTENT_LENGTH);
        if (packetType == PacketType.FRAGMENT && !framedByLength) {
            // The Content-Range must cover exactly the body, so a fragment's length is part of the packet.
            throw new UploadError(411, Hresult.E_INVALIDARG, Hresult.CONTEXT_REMOTE_FILE,
                    "a Fragment needs a Content-Length");
        }
        long contentLength = framedByLength ? headers.getLongField(HttpHeader.CONTENT_LENGTH) : 0;
        // Only a new session picks its destination: the user's part of the path is checked and added there.
        String rawPrefix = packetType == PacketType.CREATE_SESSION ? userPath.rawPrefix(userOf(request)) : "";
        Packet packet = packet(request, headers, contentLength, urlPrefix, rawPrefix);
        if (packetType != PacketType.FRAGMENT) {
            requireEmptyBody(packet, packetType);
            if (!framedByLength) {
                requireEmptyUnframedBody(request, packetType);
            }
        }
        return switch (packetType) {
            case PING -> protocol.ping();
            case CREATE_SESSION -> protocol.createSession(packet);
            case FRAGMENT -> fragment(protocol, packet, request);
            case CLOSE_SESSION -> protocol.closeSession(packet);
            case CANCEL_SESSION -> protocol.cancelSession(packet);
        };
    }

    private static Ack fragment(UploadProtocol protocol, Packet packet, Request request)
            throws UploadError, IOException {
        FragmentBody body = new FragmentBody(request);
        try {
            return protocol.fragment(packet, body);
        } finally {
            body.release();
        }
    }

    private static void requireEmptyBody(Packet packet, PacketType type) throws UploadError {
        if (packet.contentLengthBytes() != 0) {
            throw UploadError.invalid("a " + type.wireName() + " packet has no body, but Content-Length is "
                    + packet.contentLengthBytes());
        }
    }

    /**
     * A body-less packet without {@code Content-Length}: with no {@code Transfer-Encoding} either, HTTP/1.1 framing
     * makes its body empty (RFC 9112 §6.3), as some non-Windows clients rely on; a chunked one must end at once.
     */
    private static void requireEmptyUnframedBody(Request request, PacketType type) throws UploadError, IOException {
        if (Request.asInputStream(request).read() >= 0) {
            throw UploadError.invalid("a " + type.wireName() + " packet has no body, but one was sent");
        }
    }

    private static Packet packet(Request request, HttpFields headers, long contentLength, String urlPrefix,
            String rawPrefix) throws UploadError {
        String contextPath = Request.getContextPath(request);
        contextPath = (contextPath == null || contextPath.equals("/") ? "" : contextPath) + urlPrefix;
        String rawPath = request.getHttpURI().getPath();
        if (rawPath == null || !rawPath.startsWith(contextPath + "/")) {
            throw UploadError.invalid("the path '" + rawPath + "' is outside " + contextPath + "/");
        }
        String host = Request.getServerName(request);
        String authority = (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":"
                + Request.getServerPort(request);
        URI base = URI.create(request.getHttpURI().getScheme() + "://" + authority + contextPath + "/");
        return new Packet(headers.get(Headers.SESSION_ID), contentLength,
                rawPrefix + rawPath.substring(contextPath.length()),
                request.getHttpURI().asString(), Request.getRemoteAddr(request), base, headers::get,
                userOf(request));
    }

    /** The user the request was authenticated as (by the server's authentication), or null. */
    static String userOf(Request request) {
        Request.AuthenticationState state = Request.getAuthenticationState(request);
        Principal principal = state == null ? null : state.getUserPrincipal();
        return principal == null ? null : principal.getName();
    }

    /** True below a non-empty URL prefix. */
    private boolean inPrefix(String pathInContext) {
        return !urlPrefix.isEmpty() && pathInContext != null
                && (pathInContext.equals(urlPrefix) || pathInContext.startsWith(urlPrefix + "/"));
    }

    private static boolean hasReservedSegment(String pathInContext) {
        if (pathInContext == null) {
            return false;
        }
        for (String segment : pathInContext.split("/")) {
            if (segment.toLowerCase(Locale.ROOT).startsWith(UploadTarget.RESERVED_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "BitsUploadHandler[" + config.uploadDir() + "]";
    }

    /** What exists only while the handler runs. */
    private record Parts(SessionTable sessions, SessionStore store, UploadTarget target, UploadProtocol protocol,
            ReplySender replies, Notifier notifier, ScheduledExecutorService cleanup, ScheduledFuture<?> cleanupTask) {

        /** The same sessions under new settings: a new protocol, notifier and cleanup period. */
        Parts reconfigured(UploadConfig config, UploadEvents events, Duration notifyTimeout) {
            sessions.limits(config.sessionTimeout(), config.maxSessionsPerClient());
            // A notifier replaced here is left to finish its calls in flight; its client ends once unreachable.
            Notifier newNotifier = config.notifyType() == NotifyType.NONE ? null
                    : new Notifier(config.notifyType(), notifyTimeout);
            cleanupTask.cancel(false);
            UploadProtocol protocol = new UploadProtocol(config, sessions, store, target, newNotifier, events);
            return new Parts(sessions, store, target, protocol, replies, newNotifier, cleanup,
                    scheduleCleanup(cleanup, sessions, config.sessionTimeout()));
        }
    }
}
