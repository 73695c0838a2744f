package io.jbits.core.internal;

import io.jbits.api.JobError;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.spi.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decides which jobs run, and starts and stops their runs: the scheduler pass. Its policy is the
 * {@link Scheduler}'s (a pure function of the queue) and three settings, each documented by its effect on the
 * constructor.
 *
 * <p>Each pass ({@link #schedule}) decides under the {@link JobTable#lock}: jobs waiting to retry whose delay
 * passed go back to the queue (or to ERROR after the no-progress timeout), preempted runs are asked to stop, and
 * new runs are made. The runs start after the lock is released, and the store is written then. The scheduler
 * thread calls it in a loop, sleeping in {@link #awaitChange} until something is due or a part {@link
 * JobTable#kick}s it.
 */
final class Dispatch {
    private static final System.Logger LOG = System.getLogger(Dispatch.class.getName());
    private static final long RUN_STOP_WAIT_SECONDS = 30;
    /** The longest a pass sleeps, whatever is due: a safety net for a change nobody signalled. */
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The shortest wait for a slice's end: a slice that just ended is not looked at again in a busy loop. */
    private static final long MIN_SLICE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final JobTable table;
    private final RateCaps caps;
    private final RunHost host;
    private final Clock clock;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final int filesInParallel;

    /**
     * @param host what the runs report to
     * @param maxBackgroundJobs how many background jobs run at once: more queued ones wait in priority order, and
     *     a higher priority preempts a lower one (FOREGROUND jobs always run at once)
     * @param timeSlice how long a background job runs before an equal-priority job waiting behind it gets its turn
     * @param filesInParallel how many files of one job a run moves at once
     */
    Dispatch(JobTable table, RateCaps caps, RunHost host, Clock clock, Ticker ticker, int maxBackgroundJobs,
             Duration timeSlice, int filesInParallel) {
        this.table = table;
        this.caps = caps;
        this.host = host;
        this.clock = clock;
        this.ticker = ticker;
        this.scheduler = new Scheduler(maxBackgroundJobs, timeSlice.toNanos());
        this.filesInParallel = filesInParallel;
    }

    /**
     * One scheduler pass: retry timers, then BITS's rules for who runs. Returns the nanoseconds until something
     * is due again.
     */
    long schedule() {
        long now = ticker.nanos();
        List<JobRun> toStart = new ArrayList<>();
        long wait = MAX_WAIT_NANOS;
        synchronized (table.lock) {
            if (table.shuttingDown()) {
                return wait;
            }
            table.forgetExpiredFinalJobs();
            List<Scheduler.Entry> entries = new ArrayList<>();
            for (JobModel job : table.inPlayPruned()) {
                if (job.state == JobState.TRANSIENT_ERROR) {
                    wait = Math.min(wait, retryPass(job, now));
                }
                if (job.state.isRunning() || job.state == JobState.QUEUED && !job.runAlive() && !job.closing) {
                    entries.add(new Scheduler.Entry(job.id, job.priority, job.state, job.queueSeq, job.startedNanos));
                }
            }
            Scheduler.Decision d = scheduler.decide(entries, now);
            for (String id : d.preempt()) {
                JobModel job = table.get(id);
                table.move(job, JobEvent.PREEMPTED);
                table.toEndOfLine(job);
                JobTable.stopRun(job);
                table.persister.job(job);
            }
            for (String id : d.start()) {
                JobRun run = start(table.get(id), now);
                if (run != null) {
                    toStart.add(run);
                }
            }
            long slice = scheduler.nanosUntilSliceEnd(entries, now);
            if (slice >= 0) {
                wait = Math.min(wait, Math.max(slice, MIN_SLICE_WAIT_NANOS));
            }
        }
        for (JobRun run : toStart) {
            run.start();
        }
        table.flush();
        return wait;
    }

    /** Gives a queued job its turn: a run to start after the lock, or null when nothing is left to move. */
    private JobRun start(JobModel job, long now) {
        table.move(job, JobEvent.SCHEDULED);
        job.startedNanos = now;
        List<FileModel> pending = job.pendingFiles();
        JobRun run = null;
        if (pending.isEmpty() && job.type != JobType.UPLOAD_REPLY) {
            table.move(job, JobEvent.ALL_TRANSFERRED);
            job.transferCompleted = clock.instant();
        } else {
            caps.runStarts(job);
            run = new JobRun(host, job, pending, filesInParallel);
            job.run = run;
            table.runStarted();
        }
        table.persister.job(job);
        return run;
    }

    /** A job waiting to retry: back to the queue, to ERROR, or not yet; returns the nanoseconds until it is due. */
    private long retryPass(JobModel job, long now) {
        RetryTimer timer = job.retryTimer();
        switch (timer.verdict(now, job.noProgressTimeout)) {
            case RETRY -> {
                table.move(job, JobEvent.RETRY_DUE);
                table.toEndOfLine(job);
                table.persister.job(job);
                return 0;
            }
            case GIVE_UP -> {
                JobError e = job.error;
                job.error = e == null ? null : e.asFatal();
                table.move(job, JobEvent.FATAL_FAILURE);
                table.persister.job(job);
                return TimeUnit.SECONDS.toNanos(1);
            }
            case WAIT -> {
                return timer.nanosUntilDue(now, job.noProgressTimeout);
            }
        }
        throw new AssertionError();
    }

    /** Waits up to {@code nanos} for a change that calls for a scheduler pass. */
    void awaitChange(long nanos) {
        table.awaitKick(nanos);
    }

    /** Stops every run and waits for each to checkpoint. States stay as they are: active jobs re-queue on load. */
    void shutdown() {
        List<JobRun> runs = new ArrayList<>();
        synchronized (table.lock) {
            table.startShutdown();
            for (JobModel job : table.all()) {
                if (job.run != null) {
                    runs.add(job.run);
                    job.run.stop();
                }
            }
            table.kick();
        }
        for (JobRun run : runs) {
            awaitEnd(run);
        }
        table.flush();
    }

    /** Waits for a stopped run to end (its files checkpointed and closed), up to {@value #RUN_STOP_WAIT_SECONDS} s. */
    static void awaitEnd(JobRun run) {
        if (run == null) {
            return;
        }
        try {
            if (!run.awaitEnd(RUN_STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "job " + run.job.id + ": transfer did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
