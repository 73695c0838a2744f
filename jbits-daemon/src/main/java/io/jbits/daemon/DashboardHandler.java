package io.jbits.daemon;

import io.jbits.api.BitsCodes;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The dashboard's front on its loopback port: lets through only requests that carry the secret token, name the
 * dashboard as their host and come from its own origin; then serves the static pages, and hands {@code /v1/...}
 * to the REST API's own handler (the same routes and event stream as on the Unix socket, as the service's owner).
 *
 * <p>Why each check: a page of another site cannot learn the token, so it cannot call the API from the user's
 * browser; the {@code Host} check stops DNS rebinding (a foreign name made to resolve to 127.0.0.1 would reach the
 * port with the user's browser, but with its own name in {@code Host}); the {@code Origin} check refuses a request
 * a foreign page makes (its browser always names its origin on a state-changing call). Another user of the machine
 * can reach the port but has no way to read the token file (0600). The token comes once in the address
 * ({@code ?token=}), is then kept in a cookie (HttpOnly, SameSite=Strict) and the address is redirected to the
 * same page without it, so it stays out of the history. Scripts may send it as {@code Authorization: Bearer}.
 */
final class DashboardHandler extends Handler.Abstract {
    /** The query parameter the first address carries the token in. */
    static final String TOKEN_PARAMETER = "token";
    /** The cookie's name, with the port: dashboards of several users on one machine keep their own. */
    static final String COOKIE_PREFIX = "jbits-dashboard-";
    private static final System.Logger LOG = System.getLogger(DashboardHandler.class.getName());
    private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost");
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final DashboardToken token;
    private final DashboardFiles files;
    private final Handler api;

    DashboardHandler(DashboardToken token, DashboardFiles files, Handler api) {
        this.token = token;
        this.files = files;
        this.api = api;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        int port = Request.getLocalPort(request);
        var headers = response.getHeaders();
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Content-Security-Policy", POLICY);
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (!isOwnHost(host, port)) {
            return refuse(request, response, callback, "the dashboard answers only as 127.0.0.1:" + port
                    + " or localhost:" + port + ", not as " + host);
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null && !isOwnOrigin(origin, port)) {
            return refuse(request, response, callback, "requests from " + origin + " are refused");
        }
        String inQuery = Request.extractQueryParameters(request).getValue(TOKEN_PARAMETER);
        boolean fromQuery = token.matches(inQuery);
        if (!fromQuery && !token.matches(cookie(request, port)) && !token.matches(bearer(request))) {
            return refuse(request, response, callback, "this needs the dashboard's token: open the address "
                    + "'jbits ui' prints");
        }
        String path = Request.getPathInContext(request);
        if (fromQuery) {
            headers.add(HttpHeader.SET_COOKIE, COOKIE_PREFIX + port + "=" + token.text()
                    + "; Path=/; HttpOnly; SameSite=Strict");
            if (!path.startsWith("/v1/") && "GET".equals(request.getMethod())) {
                /* The token leaves the address bar and the history at once; the cookie carries it from now on. */
                Response.sendRedirect(request, response, callback, 303, path + withoutToken(request), true);
                return true;
            }
        }
        if (path.startsWith("/v1/")) {
            return api.handle(request, response, callback);
        }
        return page(request, response, callback, path);
    }

    private boolean page(Request request, Response response, Callback callback, String path) {
        DashboardFiles.File file = files.find(path);
        if (file == null || !("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))) {
            Response.writeError(request, response, callback, file == null ? 404 : 405);
            return true;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, file.contentType());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, file.bytes().length);
        boolean head = "HEAD".equals(request.getMethod());
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(file.bytes()), callback);
        return true;
    }

    private static boolean refuse(Request request, Response response, Callback callback, String why) {
        LOG.log(Level.WARNING, "dashboard refused {0} {1}: {2}", request.getMethod(),
                Request.getPathInContext(request), why);
        AnswerWriter.write(response, Answer.error(403, BitsCodes.E_ACCESSDENIED, why), callback);
        return true;
    }

    /** Whether a {@code Host} header names this dashboard: a loopback name and its own port. */
    static boolean isOwnHost(String host, int port) {
        if (host == null) {
            return false;
        }
        int colon = host.lastIndexOf(':');
        return colon > 0 && LOOPBACK_NAMES.contains(host.substring(0, colon).toLowerCase(java.util.Locale.ROOT))
                && host.substring(colon + 1).equals(Integer.toString(port));
    }

    /** Whether an {@code Origin} header is this dashboard's own origin. */
    static boolean isOwnOrigin(String origin, int port) {
        return origin.startsWith("http://") && isOwnHost(origin.substring("http://".length()), port);
    }

    private static String cookie(Request request, int port) {
        for (HttpCookie c : Request.getCookies(request)) {
            if (c.getName().equals(COOKIE_PREFIX + port)) {
                return c.getValue();
            }
        }
        return null;
    }

    private static String bearer(Request request) {
        String value = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        return value != null && value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).strip() : null;
    }

    /** The request's query without the token, with its {@code ?}, or "". */
    private static String withoutToken(Request request) {
        String query = request.getHttpURI().getQuery();
        if (query == null) {
            return "";
        }
        String kept = Arrays.stream(query.split("&"))
                .filter(p -> !p.equals(TOKEN_PARAMETER) && !p.startsWith(TOKEN_PARAMETER + "="))
                .collect(Collectors.joining("&"));
        return kept.isEmpty() ? "" : "?" + kept;
    }
}
