package io.jbits.cli;

import io.jbits.api.JobInfo;
import io.jbits.client.ServiceClient;
import io.jbits.client.UserSockets;
import io.jbits.rest.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code jbits list --all-users}: an administrator's list of every user's jobs (bitsadmin {@code /list /allusers}),
 * gathered from each user's running service over its socket, with an owner column. A socket nothing answers on is
 * a service that is not running, and is passed over; a service that refuses or fails is named on stderr and the exit
 * status is 1, and the others are still listed.
 */
final class AllUsersList {
    private final Cli cli;
    private final UserSockets sockets;

    AllUsersList(Cli cli, UserSockets sockets) {
        this.cli = cli;
        this.sockets = sockets;
    }

    /** Prints the table (or with {@code json}, one JSON array whose jobs carry their owner); the exit status. */
    int print(boolean includeFinal, boolean json) throws IOException {
        List<JobInfo> all = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        boolean failed = false;
        for (UserSockets.UserService s : sockets.running()) {
            ServiceClient connected;
            try {
                connected = ServiceClient.connect(s.paths().socket());
            } catch (IOException stale) {
                continue; // a socket file nothing answers on: that user's service is not running
            }
            try (ServiceClient client = connected) {
                client.forEachJob(includeFinal, false, j -> {
                    all.add(j);
                    owners.add(s.user());
                });
            } catch (RuntimeException e) {
                failed = true;
                cli.err().println("jbits: the service of user " + s.user() + " (" + s.paths().socket() + "): "
                        + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
        if (json) {
            Json.writeJobList(all, cli.out());
        } else {
            cli.out().print(String.format(Locale.ROOT, "%-12s  ", "OWNER") + JobViews.tableHeader());
            for (int i = 0; i < all.size(); i++) {
                cli.out().print(String.format(Locale.ROOT, "%-12s  ", owners.get(i)) + JobViews.tableRow(all.get(i)));
            }
            if (all.isEmpty()) {
                cli.out().print(JobViews.NO_JOBS);
            }
        }
        cli.out().flush();
        return failed ? Main.EXIT_REFUSED : 0;
    }
}
