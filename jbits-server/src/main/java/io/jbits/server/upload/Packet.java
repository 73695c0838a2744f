package io.jbits.server.upload;

import java.net.URI;
import java.util.function.UnaryOperator;

/**
 * One {@code BITS_POST} request as the protocol sees it, free of the HTTP server's types.
 *
 * @param sessionId the {@code BITS-Session-Id} header, or null
 * @param contentLengthBytes the {@code Content-Length}
 * @param rawPath the request path below the handler's context, still percent-encoded
 * @param url the whole request URL, sent to the application as {@code BITS-Original-Request-URL}
 * @param clientAddress the address of the client's end of the connection
 * @param base the URL of the handler's context, ending in '/'; replies are served below it
 * @param headers the request's headers by name (any case), null for a missing one
 * @param user the authenticated user who sent it, or null when the server has no users
 */
record Packet(String sessionId, long contentLengthBytes, String rawPath, String url, String clientAddress, URI base,
        UnaryOperator<String> headers, String user) {

    String header(String name) {
        return headers.apply(name);
    }
}
