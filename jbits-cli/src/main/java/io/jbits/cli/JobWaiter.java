package io.jbits.cli;

import io.jbits.api.JobError;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.TransferManager;

/**
 * Waits for a job to end, drawing its progress on stderr: redrawn in place on a terminal, one line every few
 * seconds otherwise. A transient error is shown once and the wait goes on; the service retries it by itself.
 */
final class JobWaiter {
    /** How often the job is read. (A later issue replaces polling with the event stream.) */
    private static final long POLL_MILLIS = 100;
    private static final long PLAIN_LINE_NANOS = 5_000_000_000L;

    private final Cli cli;
    private final TransferManager jobs;

    JobWaiter(Cli cli, TransferManager jobs) {
        this.cli = cli;
        this.jobs = jobs;
    }

    /** True for the states a wait ends in: TRANSFERRED, ERROR, SUSPENDED and the final ones. */
    static boolean ends(JobState s) {
        return switch (s) {
            case TRANSFERRED, ERROR, SUSPENDED, ACKNOWLEDGED, CANCELLED -> true;
            case QUEUED, CONNECTING, TRANSFERRING, TRANSIENT_ERROR -> false;
        };
    }

    /** Polls the job until it ends and returns it as it ended. */
    JobInfo await(String jobId) throws InterruptedException {
        Progress progress = new Progress();
        JobError shown = null;
        long lastPlainLine = System.nanoTime() - PLAIN_LINE_NANOS;
        while (true) {
            JobInfo job = jobs.job(jobId);
            long now = System.nanoTime();
            String line = Progress.line(job, progress.sample(job, now));
            if (job.state() == JobState.TRANSIENT_ERROR && job.error() != null && !job.error().equals(shown)) {
                shown = job.error();
                if (cli.stderrIsTerminal()) {
                    cli.err().print("\r\033[K");
                }
                cli.err().println("jbits: transient error, retrying: " + JobViews.error(shown));
            }
            boolean ended = ends(job.state());
            if (cli.stderrIsTerminal()) {
                cli.err().print("\r" + line + "\033[K" + (ended ? "\n" : ""));
                cli.err().flush();
            } else if (ended || now - lastPlainLine >= PLAIN_LINE_NANOS) {
                cli.err().println(line);
                lastPlainLine = now;
            }
            if (ended) {
                return job;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** The exit status of a wait that ended in this job, with a message on stderr unless it is TRANSFERRED. */
    static int outcome(Cli cli, JobInfo job) {
        String id = job.id();
        return switch (job.state()) {
            case TRANSFERRED -> 0;
            case ERROR -> {
                cli.err().println("jbits: job " + id + " failed: "
                        + (job.error() == null ? "no error recorded" : JobViews.error(job.error())));
                yield 1;
            }
            case SUSPENDED -> {
                cli.err().println("jbits: job " + id + " is SUSPENDED; 'jbits resume " + id + "' carries on");
                yield 1;
            }
            case ACKNOWLEDGED, CANCELLED -> {
                cli.err().println("jbits: job " + id + " is " + job.state() + " and will not transfer again");
                yield 1;
            }
            case QUEUED, CONNECTING, TRANSFERRING, TRANSIENT_ERROR ->
                    throw new IllegalStateException("wait ended in state " + job.state());
        };
    }
}
