package io.jbits.cli;

import io.jbits.api.JobEvent;
import io.jbits.api.JobInfo;
import io.jbits.api.JobListener;
import io.jbits.api.Subscription;
import io.jbits.api.TransferManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jbits monitor}: a table of all jobs, redrawn each second from the service's event stream (the list is
 * read once at the start and again only when an event names a job it does not hold).
 */
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
        BlockingQueue<JobEvent> events = new LinkedBlockingQueue<>();
        try (Subscription ignored = jobs.addListener(null, Duration.ofMillis(500), JobListener.of(events::add))) {
            Map<String, JobInfo> shown = new LinkedHashMap<>();
            jobs.jobs(false).forEach(j -> shown.put(j.id(), j));
            long next = System.nanoTime();
            for (long i = 0; count == null || i < count; i++) {
                if (i > 0) {
                    next += TimeUnit.SECONDS.toNanos(1);
                    JobEvent e;
                    while ((e = events.poll(Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
                        apply(jobs, shown, e);
                    }
                }
                String table = JobViews.monitor(List.copyOf(shown.values()));
                cli.out().print(terminal ? CLEAR_SCREEN + table : table + "\n");
                cli.out().flush();
            }
        }
        return 0;
    }

    /** Updates the table's jobs with an event: final jobs leave it, unknown ones are read. */
    private static void apply(TransferManager jobs, Map<String, JobInfo> shown, JobEvent e) {
        JobInfo j = shown.get(e.jobId());
        if (e.state().isFinal()) {
            shown.remove(e.jobId());
        } else if (j != null && e.change() == JobEvent.Change.PROPERTIES) {
            shown.put(e.jobId(), jobs.job(e.jobId()));
        } else if (j != null) {
            shown.put(e.jobId(), JobViews.withEvent(j, e));
        } else {
            shown.clear();
            jobs.jobs(false).forEach(k -> shown.put(k.id(), k));
        }
    }
}
