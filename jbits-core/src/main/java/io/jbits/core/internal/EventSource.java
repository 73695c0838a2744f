package io.jbits.core.internal;

import io.jbits.events.EventDelivery;
import io.jbits.api.FileInfo;
import io.jbits.api.JobEvent;
import io.jbits.api.JobState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Turns what happens to jobs into {@link JobEvent}s for the engine's listeners. Every method runs under the
 * engine's lock and only queues: {@link EventDelivery} calls the listeners on their own threads.
 *
 * <p>Event numbers survive restarts without a write per event: a job reserves numbers in blocks, and the end of its
 * reservation is stored with the job row ({@link io.jbits.spi.JobRow#eventSeq()}).
 * The block is extended once half of it is used, so the store holds the new end long before the old one is
 * reached; after a restart the job continues above the stored end, skipping what the last run did not use.
 */
final class EventSource {
    private static final long SEQ_BLOCK = 1024;

    private final EventDelivery delivery;
    private final Clock clock;
    private final Persister persister;
    private boolean reserved;

    EventSource(EventDelivery delivery, Clock clock, Persister persister) {
        this.delivery = delivery;
        this.clock = clock;
        this.persister = persister;
    }

    /** A loaded job: one in TRANSFERRED or ERROR owes its listeners that event (at least once, after a restart). */
    void loaded(JobModel job) {
        job.sticky = switch (job.state) {
            case TRANSFERRED -> event(job, JobEvent.Kind.TRANSFERRED, JobEvent.Change.STATE, -1);
            case ERROR -> event(job, JobEvent.Kind.ERROR, JobEvent.Change.STATE, -1);
            case QUEUED, CONNECTING, TRANSFERRING, SUSPENDED, TRANSIENT_ERROR, ACKNOWLEDGED, CANCELLED -> null;
        };
    }

    /** The job's state changed: TRANSFERRED and ERROR get their own kinds, the rest are modifications. */
    void state(JobModel job) {
        JobEvent.Kind kind = switch (job.state) {
            case TRANSFERRED -> JobEvent.Kind.TRANSFERRED;
            case ERROR -> JobEvent.Kind.ERROR;
            case QUEUED, CONNECTING, TRANSFERRING, SUSPENDED, TRANSIENT_ERROR, ACKNOWLEDGED, CANCELLED ->
                    JobEvent.Kind.MODIFIED;
        };
        JobEvent e = event(job, kind, JobEvent.Change.STATE, -1);
        job.sticky = e.isSticky() ? e : null;
        delivery.publish(e);
    }

    /** Properties, options or files of the job changed. */
    void modified(JobModel job, JobEvent.Change change) {
        delivery.publish(event(job, JobEvent.Kind.MODIFIED, change, -1));
    }

    /** Bytes moved since the last progress event. */
    void progress(JobModel job) {
        delivery.publish(event(job, JobEvent.Kind.MODIFIED, JobEvent.Change.PROGRESS, -1));
    }

    /**
     * Files of the job became complete and durable together (one round of the syncer): one event per file, in the
     * order given, each with the job's counts after all of them. The counts are taken once, not once per file:
     * taking them walks every file of the job, which for one event per file of a job of n files was n² steps.
     */
    void filesTransferred(JobModel job, List<Integer> indexes) {
        Totals totals = totals(job);
        for (int index : indexes) {
            delivery.publish(event(job, JobEvent.Kind.FILE_TRANSFERRED, JobEvent.Change.STATE, index, totals));
        }
    }

    /** True once after numbers were reserved: the job rows that hold the reservations should be written. */
    boolean takeReserved() {
        boolean r = reserved;
        reserved = false;
        return r;
    }

    /** The TRANSFERRED and ERROR events owed to a new listener of these jobs. */
    static List<JobEvent> owed(Collection<JobModel> jobs) {
        List<JobEvent> out = new ArrayList<>();
        for (JobModel j : jobs) {
            if (j.sticky != null) {
                out.add(j.sticky);
            }
        }
        return out;
    }

    private JobEvent event(JobModel job, JobEvent.Kind kind, JobEvent.Change change, int fileIndex) {
        return event(job, kind, change, fileIndex, totals(job));
    }

    private JobEvent event(JobModel job, JobEvent.Kind kind, JobEvent.Change change, int fileIndex, Totals totals) {
        long seq = ++job.eventSeq;
        if (seq + SEQ_BLOCK / 2 > job.eventSeqReserved) {
            job.eventSeqReserved = seq + SEQ_BLOCK;
            persister.job(job);
            reserved = true;
        }
        boolean failed = job.state == JobState.ERROR || job.state == JobState.TRANSIENT_ERROR;
        return new JobEvent(kind, job.id, seq, clock.instant(), change, job.state, totals.bytes, totals.done,
                totals.files, totals.filesDone, failed ? job.error : null, fileIndex, job.bytesPerSecond());
    }

    /** A job's byte and file counts as an event carries them. */
    private record Totals(long bytes, long done, int files, int filesDone) {
    }

    /** The job's counts now: a walk over every file of the job. */
    private static Totals totals(JobModel job) {
        long total = 0;
        long done = 0;
        int filesDone = 0;
        List<FileModel> files = job.ownerFiles();
        for (FileModel f : files) {
            long size = f.bytesTotal;
            boolean completed = f.completed;
            if (total >= 0) {
                total = size < 0 ? FileInfo.SIZE_UNKNOWN : total + size;
            }
            done += completed ? size : f.written;
            if (completed) {
                filesDone++;
            }
        }
        return new Totals(total, done, files.size(), filesDone);
    }
}
