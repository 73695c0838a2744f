package io.jbits.cli;

import io.jbits.api.JobInfo;
import io.jbits.client.Json;
import java.io.IOException;
import java.util.List;
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

    @Option(names = "--json", description = "print a JSON array of jobs")
    boolean json;

    ListCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        List<JobInfo> jobs = cli.services().jobs().jobSummaries(all); // a big queue's files are for info
        cli.out().print(json ? Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(jobs) + "\n"
                : JobViews.table(jobs));
        return 0;
    }
}
