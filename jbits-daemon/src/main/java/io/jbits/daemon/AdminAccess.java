package io.jbits.daemon;

import io.jbits.api.BitsCodes;
import io.jbits.rest.Route;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * What an administrator (uid 0) may do with another user's service, as bitsadmin {@code /allusers} does: read the
 * jobs and change their state, and nothing that names a local file or a secret.
 *
 * <p>Every file the service writes is written by the service, as its user. An administrator therefore cannot make
 * jobs, add files, set reply files, notification commands, credentials or any other setting, or change the
 * bandwidth policy or stop the service (systemd or a signal does that): the routes that do are refused with 403.
 * Each administrative call is logged with the caller, the method and the path, whether allowed or not.
 */
final class AdminAccess {
    private static final System.Logger LOG = System.getLogger(AdminAccess.class.getName());

    /** The routes an administrator may call: reading, and the owner's state verbs. */
    static final Set<Route> ALLOWED = EnumSet.of(Route.SERVICE_STATUS, Route.EVENTS, Route.JOBS_LIST,
            Route.JOB_SHOW, Route.JOB_RESUME, Route.JOB_SUSPEND, Route.JOB_CANCEL, Route.JOB_COMPLETE,
            Route.JOBS_COMPLETE, Route.POLICY_SHOW);

    private static final Path PASSWD = Path.of("/etc/passwd");

    private AdminAccess() {
    }

    /** Whether a peer, named as {@code SO_PEERCRED} names it, is the administrator: uid 0. */
    static boolean isAdministrator(String peerUser) {
        return peerUser != null && uidOf(peerUser) == 0;
    }

    /**
     * The uid of a user name: the JDK gives the name from the password database, or the number when there is none.
     * -1 when unknown.
     */
    static long uidOf(String user) {
        if (user.chars().allMatch(Character::isDigit) && !user.isEmpty()) {
            return Long.parseLong(user);
        }
        try {
            for (String line : Files.readAllLines(PASSWD)) {
                String[] f = line.split(":", -1);
                if (f.length > 2 && f[0].equals(user)) {
                    return Long.parseLong(f[2]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Whether an administrator may call a route; logs the call either way. A path no route has is let through, so
     * the caller gets the usual 404.
     *
     * @return null when allowed, else the 403 answer
     */
    static Answer check(ApiRoutes routes, String method, String path, String peer, String owner) {
        Route route;
        try {
            route = routes.match(method, path).route();
        } catch (Refusal noRoute) {
            route = null;
        }
        boolean allowed = route == null || ALLOWED.contains(route);
        LOG.log(allowed ? Level.INFO : Level.WARNING, "administrator call (uid 0, user {0}) on the service of {1}: "
                + "{2} {3}{4}", peer, owner, method, path, allowed ? "" : " refused");
        if (allowed) {
            return null;
        }
        return Answer.error(403, BitsCodes.E_ACCESSDENIED, "an administrator may read the jobs of '" + owner
                + "' and suspend, resume, cancel or complete them, not " + method + " " + path
                + " (the service writes files as its user only at that user's request)");
    }
}
