package io.jbits.core.internal;

import io.jbits.api.FileInfo;
import io.jbits.api.JobError;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.Priority;
import io.jbits.spi.FileRow;
import io.jbits.spi.JobOptions;
import io.jbits.spi.JobRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One job while the engine holds it.
 *
 * <p>Locking: every field is written under the engine's lock ({@link JobTable#lock}) and read under it, with these
 * exceptions, which are all the reads a transfer thread makes without the lock:
 * <ul>
 *   <li>the final fields ({@code id}, {@code type}, {@code owner}, {@code created}), which never change;</li>
 *   <li>{@code files} of an upload job, read by its run: the list is fixed once the job has its file (a second one
 *       is refused), which is before any run of it starts. A download run reads the copy of its pending files
 *       made under the lock. The files' own fields follow {@link FileModel}'s rules;</li>
 *   <li>{@link #pacer}, {@link #rate} and {@link #retryTimer}: written under the lock only, and {@code volatile}
 *       so that {@link RunHost#progress} (called for every buffer, so lock-free) and a run's transfers see the
 *       object the lock last put there. Each object is thread-safe on its own;</li>
 *   <li>{@link #progressDirty}: the one field transfer threads write ({@code true}, without the lock); the
 *       progress pass clears it under the lock. {@code volatile}; a set that races with the clearing is at worst
 *       reported with the next bytes or with the state event that ends the run.</li>
 * </ul>
 * Transfer threads change nothing else: they report to the engine ({@link RunHost}), which decides under the lock.
 */
final class JobModel {
    final String id;
    final JobType type;
    final String owner;
    final Instant created;
    final List<FileModel> files;
    /**
     * The no-progress and retry clocks: made at the job's first transient error, dropped when the owner resumes it
     * (null behaves as a fresh timer, so the 100,000 jobs that never failed carry none).
     */
    volatile RetryTimer retryTimer;
    /** Bytes per second of the current run: made when a run starts, dropped when it ends. */
    volatile RateMeter rate;
    String name;
    String description;
    Priority priority;
    JobState state;
    Instant modified;
    Instant transferCompleted;
    Duration minRetryDelay;
    Duration noProgressTimeout;
    int errorCount;
    JobError error;
    String options;
    /** Order in the queue among equals; a new number each time the job (re-)enters QUEUED. */
    long queueSeq;
    /** When the current run started, on the engine's ticker. */
    long startedNanos;
    /** The run moving this job's bytes, or null; it may still be stopping after the job left a running state. */
    JobRun run;
    /** True while complete or cancel moves or deletes the files: no other call and no run may start. */
    boolean closing;
    /** The number of this job's last event (see {@link EventSource}). */
    long eventSeq;
    /** Event numbers up to here may have been used; stored with the row. */
    long eventSeqReserved;
    /** The job's TRANSFERRED or ERROR event while it stays in that state: owed to every new listener. */
    io.jbits.api.JobEvent sticky;
    /** Set by transfer threads when bytes moved; the engine's progress pass turns it into a progress event. */
    volatile boolean progressDirty;
    /**
     * Paces this job's reads by its own cap and the shared limits: made when a run starts, dropped when the run
     * ends ({@link RateCaps}).
     */
    volatile JobPacer pacer;

    /**
     * A job from its stored rows. Values that most jobs share (the owner, empty options and descriptions, the
     * default retry settings) are kept once, not once per job: a queue of 100,000 jobs is mostly such values.
     *
     * @param owner the queue's owner: the job keeps this instance when the row names the same owner
     */
    JobModel(JobRow row, List<FileRow> fileRows, String owner) {
        this.id = row.id();
        this.type = row.type();
        this.owner = Shared.value(row.owner(), owner);
        this.created = row.created();
        this.name = row.name();
        this.description = Shared.value(row.description(), "");
        this.priority = row.priority();
        this.state = row.state();
        this.modified = row.modified();
        this.transferCompleted = row.transferCompleted();
        this.minRetryDelay = Shared.duration(row.minRetryDelay());
        this.noProgressTimeout = Shared.duration(row.noProgressTimeout());
        this.errorCount = row.errorCount();
        this.error = row.error();
        this.options = Shared.isEmptyObject(row.options()) ? Shared.EMPTY_OBJECT
                : Shared.value(JobOptions.parse(row.options()).toJson(), Shared.EMPTY_OBJECT);
        this.eventSeqReserved = row.eventSeq();
        this.eventSeq = eventSeqReserved;
        this.files = new ArrayList<>(Math.max(1, fileRows.size()));
        for (FileRow f : fileRows) {
            files.add(new FileModel(f, id, kindOf(type, f.index())));
        }
    }

    /** Download jobs download every file; upload jobs upload file 0; upload-reply jobs keep the reply as file 1. */
    static FileModel.Kind kindOf(JobType type, int index) {
        return switch (type) {
            case DOWNLOAD -> FileModel.Kind.DOWNLOAD;
            case UPLOAD -> FileModel.Kind.UPLOAD;
            case UPLOAD_REPLY -> index == 0 ? FileModel.Kind.UPLOAD : FileModel.Kind.REPLY;
        };
    }

    /** The files the owner added (an upload-reply job's reply is not one of them). */
    List<FileModel> ownerFiles() {
        if (type != JobType.UPLOAD_REPLY) {
            return files;
        }
        return files.isEmpty() ? files : files.subList(0, 1);
    }

    /** The reply of an upload-reply job, or null. */
    FileModel reply() {
        return type == JobType.UPLOAD_REPLY && files.size() > 1 ? files.get(1) : null;
    }

    JobRow toRow() {
        return new JobRow(id, name, description, type, priority, owner, state, created, modified, transferCompleted,
                minRetryDelay, noProgressTimeout, errorCount, error, options, eventSeqReserved);
    }

    /**
     * The job as callers see it at {@code nowNanos} (the engine's ticker); without {@code withFiles} its file list
     * is empty (the counts stay).
     */
    JobInfo toInfo(boolean withFiles, long nowNanos) {
        long total = 0;
        long done = 0;
        int filesDone = 0;
        List<FileModel> shown = ownerFiles();
        List<FileInfo> infos = withFiles ? new ArrayList<>(shown.size()) : List.of();
        for (FileModel f : shown) {
            boolean completed = f.completed;
            long size = f.bytesTotal;
            if (withFiles) {
                infos.add(f.toInfo());
            }
            if (total >= 0) {
                total = size < 0 ? FileInfo.SIZE_UNKNOWN : total + size;
            }
            done += completed ? size : f.written;
            if (completed) {
                filesDone++;
            }
        }
        long bps = bytesPerSecond();
        JobPacer paced = pacer;
        FileModel reply = reply();
        String replyFile = reply == null ? null : reply.localPath;
        long replyTotal = reply == null ? 0 : reply.remoteUrl.isEmpty() ? FileInfo.SIZE_UNKNOWN : reply.bytesTotal;
        long replyDone = reply == null ? 0 : reply.completed ? reply.bytesTotal : reply.written;
        return new JobInfo(id, name, description, type, state, priority, owner, total, done, shown.size(), filesDone,
                created, modified, transferCompleted, minRetryDelay, noProgressTimeout, errorCount, error, bps,
                infos, replyFile, replyTotal, replyDone, publicOptions(), heldBack(paced, nowNanos));
    }

    /** Why the job goes slower than it could: its pacer's reason while it runs, its retry timer's while it waits. */
    private String heldBack(JobPacer paced, long nowNanos) {
        if (state.isRunning()) {
            return paced != null ? paced.heldBack() : null;
        }
        if (state == JobState.TRANSIENT_ERROR) {
            RetryTimer timer = retryTimer;
            return timer == null ? RetryTimer.DUE : timer.heldBack(nowNanos, noProgressTimeout);
        }
        return null;
    }

    /** The job's retry timer, made when first needed. Caller holds the engine's lock. */
    RetryTimer retryTimer() {
        RetryTimer timer = retryTimer;
        if (timer == null) {
            timer = new RetryTimer();
            retryTimer = timer;
        }
        return timer;
    }

    /** The rate of the current run; 0 when the job is not running. */
    long bytesPerSecond() {
        RateMeter meter = rate;
        return state.isRunning() && meter != null ? meter.bytesPerSecond() : 0;
    }

    /** The options a caller may see: every one but secrets ({@link io.jbits.spi.CredentialSettings#isSecret}). */
    private Map<String, Object> publicOptions() {
        if (Shared.isEmptyObject(options)) {
            return Map.of();
        }
        Map<String, Object> shown = new LinkedHashMap<>(JobOptions.parse(options).asMap());
        shown.keySet().removeIf(io.jbits.spi.CredentialSettings::isSecret);
        return shown;
    }

    boolean allFilesDone() {
        for (FileModel f : files) {
            if (!f.completed) {
                return false;
            }
        }
        return true;
    }

    List<FileModel> pendingFiles() {
        List<FileModel> pending = new ArrayList<>();
        for (FileModel f : files) {
            if (!f.completed) {
                pending.add(f);
            }
        }
        return pending;
    }

    /** True while a run of this job has not yet finished stopping. */
    boolean runAlive() {
        return run != null;
    }
}
