package io.jbits.daemon;

import java.io.IOException;
import java.nio.channels.NetworkChannel;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.eclipse.jetty.server.Request;

/**
 * Who is calling: the peer's user name from {@code SO_PEERCRED}, which the kernel fills in at connect time, so a
 * caller cannot lie about it. Only the user the daemon runs as may use the API, and an administrator (uid 0) within
 * what {@link AdminAccess} allows.
 */
final class PeerCheck {
    private PeerCheck() {
    }

    /** The decision: a caller is allowed only when it is the daemon's own user. */
    static boolean allows(String peerUser, String daemonUser) {
        return peerUser != null && daemonUser != null && peerUser.equals(daemonUser);
    }

    /**
     * The user name of the process at the other end of the request's Unix socket.
     *
     * @throws IOException when the connection is not a Unix socket or the kernel will not say
     */
    static String peerUser(Request request) throws IOException {
        Object transport = request.getConnectionMetaData().getConnection().getEndPoint().getTransport();
        if (!(transport instanceof NetworkChannel channel)) {
            throw new IOException("not a socket connection: " + transport);
        }
        UnixDomainPrincipal principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        return principal.user().getName();
    }
}
