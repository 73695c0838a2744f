package io.jbits.core.internal;

import io.jbits.api.BitsCodes;
import io.jbits.api.JbitsException;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The owner's two calls that end a job: cancel (the temporaries are deleted, an upload's server session is
 * cancelled) and complete (the finished files take their final names).
 *
 * <p>Both take longer than a lock may be held: they mark the job {@code closing} and stop its run under the
 * {@link JobTable#lock}, wait for the run to end after releasing it, then move or delete files without the lock,
 * and take it again to set the final state. While {@code closing}, no other call may change the job and no run may
 * start ({@link #refuseWhileClosing}, and {@link Dispatch} skips such jobs).
 */
final class Closing {
    private static final System.Logger LOG = System.getLogger(Closing.class.getName());
    private final JobTable table;
    private final UploadJobs uploads;

    Closing(JobTable table, UploadJobs uploads) {
        this.table = table;
        this.uploads = uploads;
    }

    /** Refuses a call while complete or cancel moves or deletes the job's files. Caller holds the lock. */
    static void refuseWhileClosing(JobModel job) {
        if (job.closing) {
            throw JbitsException.invalidState("job " + job.id + " is being completed or cancelled");
        }
    }

    /** Cancels the job: its run stops, its temporaries go, an upload's server session is ended. */
    JobInfo cancel(String jobId) {
        JobModel job;
        JobRun run;
        synchronized (table.lock) {
            job = table.find(jobId);
            refuseWhileClosing(job);
            table.move(job, JobEvent.CANCEL);
            job.closing = true;
            run = JobTable.stopRun(job);
            table.persister.job(job);
            table.kick();
        }
        table.flush();
        Dispatch.awaitEnd(run);
        List<FileModel> files;
        synchronized (table.lock) {
            files = List.copyOf(job.files);
        }
        if (!LocalFiles.deleteTemps(files)) {
            LOG.log(System.Logger.Level.WARNING, "job " + job.id + ": some temporary files could not be deleted");
        }
        if (job.type != JobType.DOWNLOAD && !files.isEmpty()) {
            uploads.endSession(job, files.get(0));
        }
        synchronized (table.lock) {
            job.closing = false;
        }
        return table.info(job.id);
    }

    /**
     * Completes the job: the finished files take their final names and the unfinished ones' temporaries go. When
     * the files cannot be published the job is left as it was (an active one SUSPENDED) and the call fails.
     */
    JobInfo complete(String jobId) {
        JobModel job = completeUnflushed(jobId);
        table.flush();
        return table.info(job.id);
    }

    /**
     * Completes the jobs one after the other, as {@link #complete}, and stores all their final states in one durable
     * write before it answers (the per-job write is what made a long run of completes slow). A job that fails stops
     * the batch; the ones before it are stored completed.
     */
    List<JobInfo> completeAll(List<String> jobIds) {
        List<String> ids = new ArrayList<>(jobIds.size());
        try {
            for (String jobId : jobIds) {
                ids.add(completeUnflushed(jobId).id);
            }
        } finally {
            table.flush();
        }
        List<JobInfo> infos = new ArrayList<>(ids.size());
        for (String id : ids) {
            infos.add(table.info(id));
        }
        return infos;
    }

    /** {@link #complete} up to the final state, marked for the store but not yet written. */
    private JobModel completeUnflushed(String jobId) {
        JobModel job;
        JobRun run;
        JobState before;
        synchronized (table.lock) {
            job = table.find(jobId);
            refuseWhileClosing(job);
            before = job.state;
            if (Transitions.apply(before, JobEvent.COMPLETE, !job.files.isEmpty(), job.allFilesDone())
                    instanceof Transitions.Rejected r) {
                throw new JbitsException(r.code(), "job " + job.id + ": " + r.reason());
            }
            if (job.type != JobType.DOWNLOAD && before != JobState.TRANSFERRED) {
                throw JbitsException.invalidState("an upload job can only be completed once TRANSFERRED");
            }
            if (before.isActive() || job.runAlive()) {
                table.setState(job, JobState.SUSPENDED); // keeps the scheduler away while the files move
            }
            job.closing = true;
            run = JobTable.stopRun(job);
        }
        Dispatch.awaitEnd(run);
        List<FileModel> done = new ArrayList<>();
        List<FileModel> partial = new ArrayList<>();
        synchronized (table.lock) {
            for (FileModel f : job.files) {
                (f.completed ? done : partial).add(f);
            }
        }
        try {
            LocalFiles.publish(done);
        } catch (IOException e) {
            synchronized (table.lock) {
                table.setState(job, before.isActive() ? JobState.SUSPENDED : before);
                job.closing = false;
                if (job.state != before) {
                    table.events.state(job);
                }
                table.persister.job(job);
                table.kick();
            }
            table.flush();
            throw new JbitsException(BitsCodes.E_ACCESSDENIED, "job " + job.id + " not completed: " + e.getMessage(),
                    e);
        }
        LocalFiles.deleteTemps(partial);
        synchronized (table.lock) {
            table.setState(job, JobState.ACKNOWLEDGED);
            job.closing = false;
            table.touch(job);
            table.events.state(job);
            table.persister.job(job);
            table.kick();
        }
        return job;
    }
}
