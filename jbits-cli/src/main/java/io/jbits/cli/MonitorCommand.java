package io.jbits.cli;

import io.jbits.api.TransferManager;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jbits monitor}: a table of all jobs, redrawn each second. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = "Shows all your jobs with state, priority, progress and rate, refreshed each second "
                + "(redrawn in place on a terminal). Ctrl-C ends it.")
final class MonitorCommand implements Callable<Integer> {
    private static final String CLEAR_SCREEN = "\033[H\033[2J";
    private final Cli cli;
    @Spec
    CommandSpec spec;

    @Option(names = "--count", paramLabel = "N", description = "stop after N refreshes")
    Integer count;

    MonitorCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (count != null && count < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1, not " + count);
        }
        TransferManager jobs = cli.services().jobs();
        boolean terminal = cli.stdoutIsTerminal();
        for (long i = 0; count == null || i < count; i++) {
            if (i > 0) {
                Thread.sleep(1000);
            }
            String table = JobViews.monitor(jobs.jobs(false));
            cli.out().print(terminal ? CLEAR_SCREEN + table : table + "\n");
            cli.out().flush();
        }
        return 0;
    }
}
