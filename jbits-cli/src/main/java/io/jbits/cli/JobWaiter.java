package io.jbits.cli;

import io.jbits.api.JobError;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobEvent;
import io.jbits.api.JobListener;
import io.jbits.api.Subscription;
import io.jbits.api.TransferManager;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a job to end, drawing its progress on stderr: redrawn in place on a terminal, one line every few
 * seconds otherwise. A transient error is shown once and the wait goes on; the service retries it by itself.
 *
 * <p>The job's events drive it (a listener on the service's event stream), not polling: the job is read once
 * after the listener is registered, then each event updates it; with no event for a second the line is redrawn
 * as it is, so the rate shown decays. A wait outlives a restart of the service: the stream reconnects.
 *
 * <p>A job this command has just queued need not be read at all: the stream delivers TRANSFERRED and ERROR even
 * when they happened before it began, so the job as queued is a safe start. Only a state no event repeats
 * (suspended or cancelled by someone else in between) could be missed, and that is read after the first second
 * without an event.
 */
final class JobWaiter {
    /**
     * The events a wait follows: state changes and progress, which carry the job's file count; not one
     * FILE_TRANSFERRED event per file, which the service would otherwise send (and this JVM parse) thousands of
     * times for a large file set.
     */
    private static final Set<JobEvent.Kind> KINDS =
            EnumSet.of(JobEvent.Kind.TRANSFERRED, JobEvent.Kind.ERROR, JobEvent.Kind.MODIFIED);
    /** Progress events at most this often. */
    private static final Duration PROGRESS_INTERVAL = Duration.ofMillis(100);
    private static final long REDRAW_MILLIS = 1000;
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

    /**
     * Follows the job's events until it ends and returns it as it ended: as the service has it, or for TRANSFERRED as
     * the events left it (its state, which is all a caller reads of it).
     */
    JobInfo await(String jobId) throws InterruptedException {
        return await(jobId, null);
    }

    /**
     * As {@link #await(String)} for a job this command has just queued, starting from it as the service answered
     * the queueing (one round trip less): for a job that may already have ended otherwise, use the other form.
     */
    JobInfo awaitQueued(JobInfo queued) throws InterruptedException {
        return await(queued.id(), queued);
    }

    /** Subscribes to the job's events, then follows it from {@code queued}, or from a read of it when null. */
    private JobInfo await(String jobId, JobInfo queued) throws InterruptedException {
        BlockingQueue<JobEvent> events = new LinkedBlockingQueue<>();
        try (Subscription ignored = jobs.addListener(jobId, PROGRESS_INTERVAL, JobListener.of(KINDS, events::add))) {
            return queued == null ? follow(jobs.job(jobId), events, true) : follow(queued, events, false);
        }
    }

    /**
     * @param confirmed whether {@code job} was read after the listener was registered; if not, it is read after the
     *        first second without an event (an event confirms it too: it carries the job's state)
     */
    private JobInfo follow(JobInfo job, BlockingQueue<JobEvent> events, boolean confirmed)
            throws InterruptedException {
        Progress progress = new Progress();
        JobError shown = null;
        long lastPlainLine = System.nanoTime() - PLAIN_LINE_NANOS;
        while (true) {
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
                // TRANSFERRED needs nothing more (the caller completes the job, or only reports success); any other
                // end is read again for its error and counts as the service has them.
                return job.state() == JobState.TRANSFERRED ? job : jobs.job(job.id());
            }
            JobEvent e = events.poll(REDRAW_MILLIS, TimeUnit.MILLISECONDS);
            if (e != null) {
                job = JobViews.withEvent(job, e);
                confirmed = true;
            } else if (!confirmed) {
                job = jobs.job(job.id());
                confirmed = true;
            }
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
