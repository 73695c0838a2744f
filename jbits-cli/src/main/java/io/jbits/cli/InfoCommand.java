package io.jbits.cli;

import io.jbits.api.JobInfo;
import io.jbits.rest.Json;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jbits info}: one job, for people or as JSON. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Shows a job: state, priority, progress, times, retry settings, error and files.")
final class InfoCommand implements Callable<Integer> {
    private final Cli cli;

    @Parameters(paramLabel = "JOB", description = "job id or unique prefix")
    String job;

    @Option(names = "--json", description = "print the job as one JSON object")
    boolean json;

    InfoCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        JobInfo j = cli.services().jobs().job(job);
        cli.out().print(json ? Json.prettyJob(j) + "\n"
                : JobViews.info(j));
        return 0;
    }
}
