package io.jbits.core.internal;

import io.jbits.api.JbitsException;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.spi.Ticker;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The owner's jobs and the one lock that guards them: every part of the queue ({@link Commands}, {@link Closing},
 * {@link Dispatch}, {@link RunReports}, {@link Recovery}, {@link UploadJobs}) reads and changes jobs through this
 * table, and only while it holds {@link #lock}.
 *
 * <p>The locking rule, for every part: decide under {@link #lock}, never block under it. Under the lock a part
 * looks jobs up, moves their states ({@link #move}), marks rows for the store ({@link Persister}) and queues events
 * ({@link EventSource} only queues: listeners run on their own threads). After releasing it, the part does what may
 * take time: {@link #flush} the store, wait for a run to stop, start runs, touch files. The same lock is the
 * {@link Persister}'s engine lock, so the rows it writes are always a consistent picture of the models.
 *
 * <p>The table also keeps the <em>in-play</em> set, the jobs the scheduler and progress passes look at, and the
 * wake-up signal of the scheduler ({@link #kick}).
 */
final class JobTable {
    private static final System.Logger LOG = System.getLogger(JobTable.class.getName());
    /** How long a cancelled or acknowledged job stays listed after its last change. */
    static final Duration KEEP_FINAL_JOBS = Duration.ofDays(1);
    /** How often a running engine looks for final jobs past {@link #KEEP_FINAL_JOBS} (a scan of every job). */
    private static final long FORGET_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** The engine's lock: guards every job model, this table, and the parts' own state. */
    final Object lock;
    final Persister persister;
    final EventSource events;
    private final Clock clock;
    private final Ticker ticker;
    private final Map<String, JobModel> jobs = new LinkedHashMap<>();
    /**
     * The jobs the scheduler and the progress pass look at: queued, running, waiting to retry, or with a run still
     * stopping. A job joins when it enters one of those states ({@link #setState}) and leaves on the next scheduler
     * pass after it left them ({@link #inPlayPruned}), so an idle queue of 100,000 suspended jobs costs those
     * passes nothing.
     */
    private final Set<JobModel> inPlay = new LinkedHashSet<>();
    private long nextSeq;
    private boolean changed;
    private boolean shuttingDown;
    /** How many jobs have a run (set by the scheduler pass, cleared when the run reports its end). */
    private int runs;
    /** When {@link #forgetExpiredFinalJobs} last scanned the jobs ({@link Ticker#nanos}); set so the first pass scans. */
    private long forgotAtNanos;

    JobTable(Object lock, Persister persister, EventSource events, Clock clock, Ticker ticker) {
        this.lock = lock;
        this.persister = persister;
        this.events = events;
        this.clock = clock;
        this.ticker = ticker;
        this.forgotAtNanos = ticker.nanos() - FORGET_EVERY_NANOS;
    }

    // ---- under the lock ----

    /** Takes a new or loaded job in. Caller holds the lock. */
    void add(JobModel job) {
        jobs.put(job.id, job);
    }

    /**
     * The job with this id, or the only one whose id starts with it (case-insensitive); throws not-found or
     * ambiguous otherwise. Caller holds the lock.
     */
    JobModel find(String jobId) {
        if (jobId == null || jobId.isBlank()) {
            throw JbitsException.invalidArgument("no job id given");
        }
        String key = jobId.trim().toLowerCase(Locale.ROOT);
        JobModel exact = jobs.get(key);
        if (exact != null) {
            return exact;
        }
        JobModel found = null;
        int matches = 0;
        for (JobModel j : jobs.values()) {
            if (j.id.startsWith(key)) {
                found = j;
                matches++;
            }
        }
        if (matches == 0) {
            throw JbitsException.notFound("no job " + jobId);
        }
        if (matches > 1) {
            throw JbitsException.invalidArgument("job id prefix " + jobId + " is ambiguous (" + matches + " jobs)");
        }
        return found;
    }

    /** The job with exactly this id (one the table handed out). Caller holds the lock. */
    JobModel get(String id) {
        return jobs.get(id);
    }

    /**
     * Forgets the final jobs whose last change is more than {@link #KEEP_FINAL_JOBS} ago: out of the table and
     * (at the next flush) out of the store, as {@link Recovery} does at a start. Without it a service that runs for
     * months would hold every job it ever finished. Scans at most once every {@link #FORGET_EVERY_NANOS}; the
     * scheduler calls it on every pass. Caller holds the lock.
     */
    void forgetExpiredFinalJobs() {
        long now = ticker.nanos();
        if (now - forgotAtNanos < FORGET_EVERY_NANOS) {
            return;
        }
        forgotAtNanos = now;
        Instant wallNow = clock.instant();
        for (Iterator<JobModel> it = jobs.values().iterator(); it.hasNext(); ) {
            JobModel job = it.next();
            if (keptLongEnough(job, wallNow) && !job.runAlive()) {
                it.remove();
                persister.delete(job.id);
            }
        }
    }

    /** Whether a job is final and its last change more than {@link #KEEP_FINAL_JOBS} before {@code wallNow}. */
    static boolean keptLongEnough(JobModel job, Instant wallNow) {
        return job.state.isFinal() && job.modified.plus(KEEP_FINAL_JOBS).isBefore(wallNow);
    }

    /** Every job, in creation order; a live view. Caller holds the lock. */
    Collection<JobModel> all() {
        return Collections.unmodifiableCollection(jobs.values());
    }

    /** The in-play jobs as they are; a live view. Caller holds the lock. */
    Collection<JobModel> inPlay() {
        return Collections.unmodifiableSet(inPlay);
    }

    /** Drops the jobs that left play since the last pass and returns the rest. Caller holds the lock. */
    List<JobModel> inPlayPruned() {
        List<JobModel> out = new ArrayList<>(inPlay.size());
        for (Iterator<JobModel> it = inPlay.iterator(); it.hasNext(); ) {
            JobModel job = it.next();
            if (inPlay(job)) {
                out.add(job);
            } else {
                it.remove();
            }
        }
        return out;
    }

    private static boolean inPlay(JobModel job) {
        return job.state == JobState.QUEUED || job.state.isRunning() || job.state == JobState.TRANSIENT_ERROR
                || job.runAlive();
    }

    /** Sets a job's state outside {@link #move} (which calls it too), keeping the in-play set up to date. */
    void setState(JobModel job, JobState state) {
        job.state = state;
        if (inPlay(job)) {
            inPlay.add(job);
        }
    }

    /**
     * Applies {@code event} by BITS's transition table ({@link Transitions}): a new state is set, the job touched
     * and a state event queued; a rejected event throws with its BITS code. Caller holds the lock.
     */
    void move(JobModel job, JobEvent event) {
        switch (Transitions.apply(job.state, event, !job.files.isEmpty(), job.allFilesDone())) {
            case Transitions.Moved m -> {
                if (m.to() != job.state) {
                    setState(job, m.to());
                    touch(job);
                    events.state(job);
                }
            }
            case Transitions.Rejected r -> throw new JbitsException(r.code(), "job " + job.id + ": " + r.reason());
        }
    }

    /** Puts the job at the end of the line among its equals (it enters QUEUED). Caller holds the lock. */
    void toEndOfLine(JobModel job) {
        job.queueSeq = nextSeq++;
    }

    /** Stamps the job modified now. Caller holds the lock. */
    void touch(JobModel job) {
        job.modified = clock.instant();
    }

    /** Asks the job's run, if any, to stop, and returns it (to wait for after the lock). Caller holds the lock. */
    static JobRun stopRun(JobModel job) {
        JobRun run = job.run;
        if (run != null) {
            run.stop();
        }
        return run;
    }

    /** Something changed that calls for a scheduler pass: wakes the scheduler. Caller holds the lock. */
    void kick() {
        changed = true;
        lock.notifyAll();
    }

    /** A job got a run. Caller holds the lock. */
    void runStarted() {
        runs++;
        lock.notifyAll(); // the passes that serve runs wake from their idle wait
    }

    /** A job's run ended. Caller holds the lock. */
    void runEnded() {
        runs--;
    }

    /** True once the engine is shutting down: no run starts and no run's end moves its job. Caller holds the lock. */
    boolean shuttingDown() {
        return shuttingDown;
    }

    /** From now on, the engine is shutting down. Caller holds the lock. */
    void startShutdown() {
        shuttingDown = true;
    }

    // ---- taking the lock ----

    /** Waits up to {@code nanos} for a {@link #kick}, then clears the signal. */
    void awaitKick(long nanos) {
        synchronized (lock) {
            if (!changed && nanos > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, nanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            changed = false;
        }
    }

    /**
     * While no job has a run, waits up to {@code nanos} for something to change (a {@link #kick}, a run start, the
     * engine's shutdown) and returns true; returns false at once while a job has a run or the engine shuts down.
     * The passes that serve runs (progress, checkpoints, pacing) idle here, so an idle engine wakes no thread.
     */
    boolean awaitWhileIdle(long nanos) {
        synchronized (lock) {
            if (runs > 0 || shuttingDown) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(lock, nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }
    }

    /** Whether some job has a run now. */
    boolean hasRuns() {
        synchronized (lock) {
            return runs > 0;
        }
    }

    /** Whether no job has a run and none is in play: a scheduler pass has nothing to do until a change. */
    boolean quiet() {
        synchronized (lock) {
            return runs == 0 && inPlay.isEmpty();
        }
    }

    /** The job as callers see it. */
    JobInfo info(String jobId) {
        synchronized (lock) {
            return find(jobId).toInfo(true, ticker.nanos());
        }
    }

    /** The jobs as callers see them; without {@code withFiles} no file list is made at all. */
    List<JobInfo> infos(boolean includeFinal, boolean withFiles) {
        synchronized (lock) {
            List<JobInfo> out = new ArrayList<>(jobs.size());
            long now = ticker.nanos();
            for (JobModel j : jobs.values()) {
                if (includeFinal || !j.state.isFinal()) {
                    out.add(j.toInfo(withFiles, now));
                }
            }
            return out;
        }
    }

    /** How many jobs {@link #infos} would list. */
    int count(boolean includeFinal) {
        synchronized (lock) {
            if (includeFinal) {
                return jobs.size();
            }
            int n = 0;
            for (JobModel j : jobs.values()) {
                if (!j.state.isFinal()) {
                    n++;
                }
            }
            return n;
        }
    }

    /** How many jobs the scheduler and progress passes look at (for tests). */
    int inPlayCount() {
        synchronized (lock) {
            return inPlay.size();
        }
    }

    // ---- without the lock ----

    /** Writes what the parts marked to the store; a failure is logged and the marks stay for the next flush. */
    void flush() {
        try {
            persister.flush();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot write the job store: " + e.getMessage(), e);
        }
    }
}
