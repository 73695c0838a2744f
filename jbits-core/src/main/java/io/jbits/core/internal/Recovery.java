package io.jbits.core.internal;

import io.jbits.api.JobState;
import io.jbits.spi.JobStore;
import io.jbits.spi.Ticker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Takes the stored jobs in at start-up: jobs that were active go back to the queue, jobs waiting to retry keep
 * waiting, final jobs older than a day are deleted, and each file's progress is reconciled with its temporary file
 * on disk (which may hold fewer bytes than the store says, after a crash, or more, written after the last
 * checkpoint). Runs once, before the scheduler starts, under the {@link JobTable#lock}; the store is written after.
 */
final class Recovery {
    private static final System.Logger LOG = System.getLogger(Recovery.class.getName());
    private static final Comparator<JobModel> CREATION_ORDER = Comparator
            .comparing((JobModel j) -> j.created, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(j -> j.id);

    private final JobTable table;
    private final String owner;
    private final Clock clock;
    private final Ticker ticker;
    private final boolean trustUnsyncedBytes;

    /**
     * @param owner the queue's owner: every loaded job that names the same owner shares this instance
     * @param trustUnsyncedBytes keep bytes a temporary holds past its last checkpoint (same boot: they are still
     *     in the page cache); otherwise only checkpointed bytes count
     */
    Recovery(JobTable table, String owner, Clock clock, Ticker ticker, boolean trustUnsyncedBytes) {
        this.table = table;
        this.owner = owner;
        this.clock = clock;
        this.ticker = ticker;
        this.trustUnsyncedBytes = trustUnsyncedBytes;
    }

    /**
     * Takes the stored jobs in. The store makes the models as it reads (on two threads for a large queue), so each
     * job's rows are garbage as soon as its model is made; the models are then put in creation order.
     */
    void load(JobStore store) throws IOException {
        long now = ticker.nanos();
        Instant wallNow = clock.instant();
        synchronized (table.lock) {
            List<JobModel> loaded = store.loadMapped(s -> new JobModel(s.job(), s.files(), owner));
            loaded.sort(CREATION_ORDER);
            for (JobModel job : loaded) {
                if (JobTable.keptLongEnough(job, wallNow)) {
                    table.persister.delete(job.id);
                    continue;
                }
                if (job.state.isActive()) {
                    table.toEndOfLine(job);
                    table.setState(job, JobState.QUEUED);
                    table.persister.job(job);
                } else if (job.state == JobState.TRANSIENT_ERROR) {
                    job.retryTimer().onTransientError(now, job.minRetryDelay, job.noProgressTimeout);
                    table.setState(job, JobState.TRANSIENT_ERROR);
                }
                for (FileModel f : job.files) {
                    reconcile(job, f);
                }
                table.events.loaded(job);
                table.add(job);
            }
        }
        table.persister.flush();
    }

    /** Brings a file's progress in line with its temporary file. Caller holds the lock. */
    private void reconcile(JobModel job, FileModel f) {
        if (job.state.isFinal() || !f.written() || f.remoteUrl.isEmpty()) {
            return; // an upload's progress lives on the server; a reply not yet announced has no bytes
        }
        Path temp = Path.of(f.tempPath());
        try {
            long size = Files.exists(temp) ? Files.size(temp) : -1;
            if (f.completed) {
                if (size < 0 && !Files.exists(Path.of(f.localPath))) {
                    LOG.log(System.Logger.Level.WARNING, "job " + job.id + ": " + f.tempPath()
                            + " is gone; fetching the file again");
                    f.resetProgress();
                    table.persister.file(f);
                }
            } else if (Math.max(0, size) < f.durable) { // no temporary and nothing durable yet: nothing to do
                f.generation++;
                f.written = Math.max(0, size);
                f.durable = f.written;
                table.persister.file(f);
            } else if (size > f.durable && trustUnsyncedBytes && f.bytesTotal >= 0 && size <= f.bytesTotal) {
                f.written = size; // same boot: what the killed service wrote is still in the page cache
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot inspect " + f.tempPath() + ": " + e.getMessage());
        }
    }
}
