package io.jbits.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jbits list}: the user's jobs, oldest first. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists your jobs, oldest first (ACKNOWLEDGED and CANCELLED ones only with --all).")
final class ListCommand implements Callable<Integer> {
    private final Cli cli;

    @Option(names = "--all", description = "include ACKNOWLEDGED and CANCELLED jobs")
    boolean all;

    @Option(names = "--json", description = "print a JSON array of jobs, one job per line")
    boolean json;

    @Option(names = "--all-users", description = "(root) every user's jobs, from each user's running service, "
            + "with an owner column")
    boolean allUsers;

    ListCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        if (allUsers) {
            return new AllUsersList(cli, io.jbits.client.UserSockets.system()).print(all, json);
        }
        // Both forms stream: 100,000 jobs are printed as they arrive, never held as a whole.
        if (json) {
            cli.services().writeJobList(all, cli.out());
            return 0;
        }
        cli.out().print(JobViews.tableHeader());
        long[] rows = {0};
        cli.services().forEachJob(all, j -> {
            cli.out().print(JobViews.tableRow(j));
            rows[0]++;
        });
        if (rows[0] == 0) {
            cli.out().print(JobViews.NO_JOBS);
        }
        cli.out().flush();
        return 0;
    }
}
