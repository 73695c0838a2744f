package io.jbits.cli;

import io.jbits.api.JobEvent;
import io.jbits.api.JobInfo;
import io.jbits.api.JobListener;
import io.jbits.api.JobState;
import io.jbits.api.NewUpload;
import io.jbits.api.Subscription;
import io.jbits.api.TransferManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@code jbits transfer --upload} with several {@code LOCAL_FILE URL} pairs: one upload job per file (BITS allows one
 * file per upload job), created and queued in one call ({@link TransferManager#startUploads}) unless per-job
 * settings must be set before the jobs run, followed together on one event subscription with one progress line,
 * and completed together ({@link TransferManager#completeAll}) once all have ended. Ctrl-C suspends the jobs still
 * running. No call is made per job unless a job fails: a round trip per job cost more than its upload.
 */
final class UploadSet {
    /** How long the progress line waits for an event before it checks the jobs itself. */
    private static final long POLL_MILLIS = 1000;

    private final Cli cli;
    private final TransferManager jobs;

    UploadSet(Cli cli, TransferManager jobs) {
        this.cli = cli;
        this.jobs = jobs;
    }

    /**
     * Starts the uploads and waits for them; {@code settings} (null for none) is applied to each job before it is
     * queued. Answers the exit status: 0 when every job was transferred and completed.
     */
    int run(List<NewUpload> uploads, Consumer<String> settings) throws InterruptedException {
        BlockingQueue<JobEvent> events = new LinkedBlockingQueue<>();
        Map<String, JobInfo> pending = new ConcurrentHashMap<>();
        try (Subscription ignored = jobs.addListener(null, Duration.ofSeconds(1), JobListener.of(events::add))) {
            for (JobInfo j : start(uploads, settings)) {
                pending.put(j.id(), j);
            }
            AtomicBoolean waiting = new AtomicBoolean(true);
            Thread onInterrupt = new Thread(() -> suspendOnInterrupt(pending, waiting), "jbits-interrupt");
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            Map<String, JobState> ended;
            try {
                ended = follow(pending, events, uploads.size());
            } finally {
                if (waiting.compareAndSet(true, false)) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(onInterrupt);
                    } catch (IllegalStateException shuttingDown) {
                        // The JVM is exiting already; the hook has nothing left to do.
                    }
                }
            }
            return finish(ended);
        }
    }

    private List<JobInfo> start(List<NewUpload> uploads, Consumer<String> settings) {
        if (settings == null) {
            return jobs.startUploads(uploads);
        }
        List<String> ids = new ArrayList<>(uploads.size());
        try {
            for (NewUpload u : uploads) {
                String id = jobs.create(u.job()).id();
                ids.add(id);
                jobs.addFile(id, u.file().remoteUrl(), u.file().localPath());
                settings.accept(id);
            }
            List<JobInfo> started = new ArrayList<>(ids.size());
            for (String id : ids) {
                started.add(jobs.resume(id));
            }
            return started;
        } catch (RuntimeException e) {
            for (String id : ids) {
                try {
                    jobs.cancel(id);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * Waits until every job has ended (TRANSFERRED, ERROR, SUSPENDED...), with one progress line; answers the jobs'
     * ids with the states they ended in, in the order they ended.
     */
    private Map<String, JobState> follow(Map<String, JobInfo> pending, BlockingQueue<JobEvent> events, int total)
            throws InterruptedException {
        Map<String, JobState> ended = new LinkedHashMap<>(total * 2);
        checkAll(pending, ended); // a job may have ended before its first event reached us
        long lastLine = 0;
        while (!pending.isEmpty()) {
            JobEvent e = events.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            if (e == null) {
                checkAll(pending, ended);
            } else if (pending.containsKey(e.jobId()) && JobWaiter.ends(e.state())) {
                pending.remove(e.jobId());
                ended.put(e.jobId(), e.state());
            }
            long nowNanos = System.nanoTime();
            if (cli.stderrIsTerminal() && nowNanos - lastLine > 100_000_000L) {
                cli.err().print("\ruploads: " + ended.size() + " of " + total + " ended\033[K");
                cli.err().flush();
                lastLine = nowNanos;
            }
        }
        if (cli.stderrIsTerminal()) {
            cli.err().print("\r\033[K");
        }
        cli.err().println("uploads: " + ended.size() + " of " + total + " ended");
        return ended;
    }

    /**
     * Moves the pending jobs that have ended to {@code ended}, with one call for all of them (and one for each job
     * that has left the list of live jobs: cancelled or completed by someone else).
     */
    private void checkAll(Map<String, JobInfo> pending, Map<String, JobState> ended) {
        Set<String> unseen = new HashSet<>(pending.keySet());
        for (JobInfo now : jobs.jobSummaries(false)) {
            if (unseen.remove(now.id()) && JobWaiter.ends(now.state())) {
                pending.remove(now.id());
                ended.put(now.id(), now.state());
            }
        }
        for (String id : unseen) {
            JobState state = jobs.job(id).state();
            if (JobWaiter.ends(state)) {
                pending.remove(id);
                ended.put(id, state);
            }
        }
    }

    /**
     * Completes the transferred jobs in one call; reports the others as {@code jbits transfer} reports one job. When
     * the batch fails, each job is completed on its own, so every one that can be is, and each failure is named.
     */
    private int finish(Map<String, JobState> ended) {
        int status = 0;
        List<String> transferred = new ArrayList<>(ended.size());
        for (Map.Entry<String, JobState> e : ended.entrySet()) {
            if (e.getValue() == JobState.TRANSFERRED) {
                transferred.add(e.getKey());
            } else {
                status = Math.max(status, JobWaiter.outcome(cli, jobs.job(e.getKey())));
            }
        }
        if (transferred.isEmpty()) {
            return status;
        }
        List<JobInfo> done;
        try {
            done = jobs.completeAll(transferred);
        } catch (RuntimeException batchFailed) {
            done = new ArrayList<>(transferred.size());
            for (String id : transferred) {
                JobInfo now = jobs.job(id);
                if (now.state() == JobState.TRANSFERRED) {
                    try {
                        now = jobs.complete(id);
                    } catch (RuntimeException e) {
                        cli.err().println("jbits: job " + id + " not completed: " + e.getMessage());
                        status = 1;
                        continue;
                    }
                }
                done.add(now);
            }
        }
        for (JobInfo j : done) {
            if (j.state() != JobState.ACKNOWLEDGED) {
                cli.err().println("jbits: job " + j.id() + " is " + j.state() + " after complete");
                status = 1;
            }
        }
        return status;
    }

    private void suspendOnInterrupt(Map<String, JobInfo> pending, AtomicBoolean waiting) {
        if (!waiting.compareAndSet(true, false)) {
            return;
        }
        for (String id : List.copyOf(pending.keySet())) {
            try {
                jobs.suspend(id);
                cli.err().println("jbits: job " + id + " suspended; 'jbits resume " + id + "' carries on");
            } catch (RuntimeException e) {
                cli.err().println("jbits: could not suspend job " + id + " (" + e.getMessage() + ")");
            }
        }
        cli.err().flush();
    }
}
