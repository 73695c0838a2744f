package io.jbits.cli;

import io.jbits.api.TransferManager;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jbits wait}: a progress bar until the job is TRANSFERRED (0) or stops another way (1). */
@Command(name = "wait", mixinStandardHelpOptions = true,
        description = "Shows a job's progress until it is TRANSFERRED (exit 0), or ends in ERROR, SUSPENDED or "
                + "CANCELLED (exit 1). Transient errors are shown and the wait goes on.")
final class WaitCommand implements Callable<Integer> {
    private final Cli cli;

    @Parameters(paramLabel = "JOB", description = "job id or unique prefix")
    String job;

    WaitCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        TransferManager jobs = cli.services().jobs();
        String id = jobs.job(job).id();
        return JobWaiter.outcome(cli, new JobWaiter(cli, jobs).await(id));
    }
}
