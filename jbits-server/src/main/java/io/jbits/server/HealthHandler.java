package io.jbits.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers {@code GET /healthz} (and HEAD) with 200 and {@code ok}: a liveness probe for load balancers and
 * orchestrators. It comes before authentication and says nothing else about the server.
 */
final class HealthHandler extends Handler.Abstract.NonBlocking {

    /** The probe's path, as Kubernetes and most load balancers expect it. */
    static final String PATH = "/healthz";

    private static final byte[] OK = "ok\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        if (!PATH.equals(Request.getPathInContext(request)) || !(head || HttpMethod.GET.is(request.getMethod()))) {
            return false;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, OK.length);
        if (head) {
            response.write(true, null, callback);
        } else {
            response.write(true, ByteBuffer.wrap(OK), callback);
        }
        return true;
    }
}
