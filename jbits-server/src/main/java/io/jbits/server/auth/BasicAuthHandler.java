package io.jbits.server.auth;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * HTTP Basic authentication (RFC 7617) in front of every request it wraps, against a {@link UserFile}: a missing or
 * wrong password gets 401 with {@code WWW-Authenticate}, as IIS answers, so BITS clients send their credentials and
 * retry. The user's name becomes the request's {@link Request.AuthenticationState} (the access log's user, the owner
 * of the sessions it creates).
 *
 * <p>Passwords travel only over HTTPS (a request the server or a trusted proxy received over TLS) unless plain HTTP
 * is allowed explicitly: a plain request is refused with 403 and never asked for a password. Repeated failures from
 * one client address are slowed and then refused for a while ({@link LoginThrottle}).
 */
public final class BasicAuthHandler extends Handler.Wrapper {

    private static final System.Logger LOG = System.getLogger(BasicAuthHandler.class.getName());

    /** The realm Windows shows in its credential prompt. */
    static final String CHALLENGE = "Basic realm=\"jbits\", charset=\"UTF-8\"";

    /**
     * The largest refused body read to its end so the client sees the answer: BITS fragments are ≤ 13 MB, a jbits
     * client's to jbits serve ≤ 64 MiB (the size the upload handler announces).
     */
    private static final long MAX_DRAINED_BODY_BYTES = 64L << 20;

    /** Why a request was refused. */
    public enum Refusal {
        /** No credentials: the 401 challenge every client gets first. */
        NO_CREDENTIALS,
        /** An unknown user or a wrong password. */
        WRONG_PASSWORD,
        /** The client address failed too often and is refused for a while. */
        THROTTLED,
        /** Plain HTTP, where no password may travel. */
        PLAIN_HTTP
    }

    /** The authenticated user, as Jetty's request log and the upload sessions see it. */
    record User(String name) implements Principal, Request.AuthenticationState {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public Principal getUserPrincipal() {
            return this;
        }
    }

    private final UserFile users;
    private final boolean allowOverHttp;
    private final LoginThrottle throttle;
    private final Map<Refusal, LongAdder> refusals = new EnumMap<>(Refusal.class);

    /**
     * Checks requests against {@code users}, re-reading the file every {@code watchInterval} when it changed.
     *
     * @param allowOverHttp accept passwords over plain HTTP (a test, or a network that is private end to end)
     */
    public BasicAuthHandler(UserFile users, boolean allowOverHttp, Duration watchInterval) {
        this(users, allowOverHttp, watchInterval, LoginThrottle.Policy.DEFAULT, Clock.systemUTC());
    }

    BasicAuthHandler(UserFile users, boolean allowOverHttp, Duration watchInterval, LoginThrottle.Policy policy,
            Clock clock) {
        this.users = users;
        this.allowOverHttp = allowOverHttp;
        this.throttle = new LoginThrottle(policy, clock);
        for (Refusal refusal : Refusal.values()) {
            refusals.put(refusal, new LongAdder());
        }
        addBean(users.watch(watchInterval));
    }

    /** A password check takes a bcrypt round, and a failed one may wait: never on a selector thread. */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.BLOCKING;
    }

    /** How many requests were refused for {@code reason} since the start. */
    public long refusals(Refusal reason) {
        return refusals.get(reason).sum();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (Request.getAuthenticationState(request) instanceof User) {
            // A client certificate (ClientCertificateHandler) said who it is: no password to ask for.
            return super.handle(request, response, callback);
        }
        if (!request.isSecure() && !allowOverHttp) {
            refuse(Refusal.PLAIN_HTTP, request, response, callback, 403);
            return true;
        }
        String address = Request.getRemoteAddr(request);
        Duration locked = throttle.lockedFor(address);
        if (!locked.isZero()) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(Math.max(1, locked.toSeconds())));
            refuse(Refusal.THROTTLED, request, response, callback, 429);
            return true;
        }
        String[] credentials = credentials(request.getHeaders().get(HttpHeader.AUTHORIZATION));
        if (credentials == null) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, CHALLENGE);
            refuse(Refusal.NO_CREDENTIALS, request, response, callback, 401);
            return true;
        }
        if (!users.check(credentials[0], credentials[1])) {
            Duration delay = throttle.failed(address);
            LOG.log(Level.INFO, "Wrong password for ''{0}'' from {1}", credentials[0], address);
            if (!delay.isZero()) {
                Thread.sleep(delay);
            }
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, CHALLENGE);
            refuse(Refusal.WRONG_PASSWORD, request, response, callback, 401);
            return true;
        }
        throttle.succeeded(address);
        Request.setAuthenticationState(request, new User(credentials[0]));
        return super.handle(request, response, callback);
    }

    /** User and password of a Basic {@code Authorization} header, or null when there are none. */
    static String[] credentials(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Basic")) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value.substring(space + 1).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon <= 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private void refuse(Refusal reason, Request request, Response response, Callback callback, int status) {
        refusals.get(reason).increment();
        long length = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (length > 0 && length <= MAX_DRAINED_BODY_BYTES) {
            // A client that is answered with its body unread gets a reset instead of the answer.
            try {
                Content.Source.consumeAll(request);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "Could not read the rest of a refused body", e);
            }
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, null, callback);
    }
}
