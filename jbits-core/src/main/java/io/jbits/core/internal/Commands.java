package io.jbits.core.internal;

import io.jbits.api.BitsCodes;
import io.jbits.events.EventDelivery;
import io.jbits.api.JbitsException;
import io.jbits.api.JobChanges;
import io.jbits.api.JobInfo;
import io.jbits.api.JobListener;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.NewFile;
import io.jbits.api.NewJob;
import io.jbits.api.NewUpload;
import io.jbits.api.Subscription;
import io.jbits.spi.FileRow;
import io.jbits.spi.JobOptions;
import io.jbits.spi.JobRow;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The owner's calls that make and change jobs: create, add files, resume, suspend, change properties and options,
 * move a file to a new URL, and listen. (Ending a job is {@link Closing}'s; upload jobs' own calls are
 * {@link UploadJobs}'.)
 *
 * <p>Each call checks its arguments first, without the lock (URLs and paths); then decides under the
 * {@link JobTable#lock}: finds the job, moves its state, marks it for the store, queues its events and
 * {@link JobTable#kick}s the scheduler when who-runs may change. The store is written after the lock is released,
 * before the call returns, so what a call returns is durable.
 */
final class Commands {
    private final JobTable table;
    private final Transports transports;
    private final RateCaps caps;
    private final UploadJobs uploads;
    private final EventDelivery delivery;
    private final Clock clock;
    private final String owner;

    Commands(JobTable table, Transports transports, RateCaps caps, UploadJobs uploads, EventDelivery delivery,
             Clock clock, String owner) {
        this.table = table;
        this.transports = transports;
        this.caps = caps;
        this.uploads = uploads;
        this.delivery = delivery;
        this.clock = clock;
        this.owner = owner;
    }

    /** A new job, SUSPENDED and without files, with BITS's default retry settings. */
    JobInfo create(NewJob spec) {
        JobModel job = newJob(spec);
        synchronized (table.lock) {
            table.add(job);
            table.persister.job(job);
        }
        table.flush();
        return table.info(job.id);
    }

    private JobModel newJob(NewJob spec) {
        Instant now = clock.instant();
        JobRow row = new JobRow(UUID.randomUUID().toString(), spec.name(), spec.description(), spec.type(),
                spec.priority(), owner, JobState.SUSPENDED, now, now, null, Shared.DEFAULT_MIN_RETRY_DELAY,
                Shared.DEFAULT_NO_PROGRESS_TIMEOUT, 0, null, "{}");
        return new JobModel(row, List.of(), owner);
    }

    /**
     * Creates upload jobs, each with its one file, and queues them, all or none: every URL and local file is checked
     * before the lock, the jobs appear together under it, and one durable write stores them all. (The caller checked
     * the jobs' names and types.)
     */
    List<JobInfo> startUploads(List<NewUpload> batch) {
        List<UploadJobs.Source> sources = new ArrayList<>(batch.size());
        for (NewUpload u : batch) {
            sources.add(uploads.check(u.file().remoteUrl(), u.file().localPath()));
        }
        List<JobModel> jobs = new ArrayList<>(batch.size());
        for (NewUpload u : batch) {
            jobs.add(newJob(u.job()));
        }
        synchronized (table.lock) {
            for (int i = 0; i < jobs.size(); i++) {
                JobModel job = jobs.get(i);
                table.add(job);
                uploads.attach(job, sources.get(i));
                queue(job);
            }
            table.kick();
        }
        table.flush();
        List<JobInfo> started = new ArrayList<>(jobs.size());
        for (JobModel job : jobs) {
            started.add(table.info(job.id));
        }
        return started;
    }

    /** Adds files all or none: every URL and path is checked before the first is added; one durable write. */
    JobInfo addFiles(String jobId, List<NewFile> files) {
        if (files.isEmpty()) {
            throw JbitsException.invalidArgument("no files to add");
        }
        JobType type;
        synchronized (table.lock) {
            type = table.find(jobId).type;
        }
        if (type != JobType.DOWNLOAD) {
            if (files.size() > 1) {
                throw new JbitsException(BitsCodes.BG_E_TOO_MANY_FILES, "an upload job holds exactly one file");
            }
            return uploads.add(jobId, files.get(0).remoteUrl(), files.get(0).localPath());
        }
        List<String[]> checked = checkDownloads(files);
        synchronized (table.lock) {
            attachDownloads(table.find(jobId), checked);
        }
        table.flush();
        return table.info(jobId);
    }

    /**
     * Creates a download job with its files and queues it, all or none: every URL and path is checked before the
     * lock, and one durable write stores the job, its files and its state. (The caller checked the job's name and
     * type.)
     */
    JobInfo startDownload(NewJob spec, List<NewFile> files) {
        if (files.isEmpty()) {
            throw JbitsException.invalidArgument("no files to download");
        }
        List<String[]> checked = checkDownloads(files);
        JobModel job = newJob(spec);
        synchronized (table.lock) {
            table.add(job);
            attachDownloads(job, checked);
            queue(job);
            table.kick();
        }
        table.flush();
        return table.info(job.id);
    }

    /** Each file's checked URL and absolute local path, before any lock: no two files of the set write one path. */
    private List<String[]> checkDownloads(List<NewFile> files) {
        List<String[]> checked = new ArrayList<>(files.size());
        Set<String> locals = new HashSet<>();
        LocalDirectories directories = new LocalDirectories();
        for (NewFile f : files) {
            String local = Inputs.localPath(f.localPath(), directories);
            if (!locals.add(local)) {
                throw JbitsException.invalidArgument("two files of the set write " + local);
            }
            checked.add(new String[] {transports.check(f.remoteUrl(), false).toString(), local});
        }
        return checked;
    }

    /** Gives a download job the checked files; the caller holds the lock and flushes. */
    private void attachDownloads(JobModel job, List<String[]> checked) {
        if (job.state.isFinal()) {
            throw JbitsException.invalidState("job " + job.id + " is " + job.state + ": no files can be added");
        }
        if (!job.files.isEmpty()) {
            Set<String> locals = new HashSet<>();
            checked.forEach(c -> locals.add(c[1]));
            for (FileModel f : job.files) {
                if (locals.contains(f.localPath)) {
                    throw JbitsException.invalidArgument("job " + job.id + " already writes " + f.localPath);
                }
            }
        }
        for (String[] c : checked) {
            FileRow row = new FileRow(job.id, job.files.size(), c[0], c[1], LocalFiles.tempPathFor(job.id, c[1]),
                    -1, 0, false, null, null, "{}");
            FileModel file = new FileModel(row, job.id, FileModel.Kind.DOWNLOAD);
            job.files.add(file);
            table.persister.file(file);
        }
        table.touch(job);
        table.persister.job(job);
        table.events.modified(job, io.jbits.api.JobEvent.Change.FILES);
    }

    /** Queues the job (at the end of the line, with its retry clocks afresh); a job with nothing left is done. */
    JobInfo resume(String jobId) {
        synchronized (table.lock) {
            JobModel job = table.find(jobId);
            Closing.refuseWhileClosing(job);
            queue(job);
            table.kick();
        }
        table.flush();
        return table.info(jobId);
    }

    /** Resumes {@code job} under the lock and marks it for the store; the caller kicks and flushes. */
    private void queue(JobModel job) {
        JobState before = job.state;
        table.move(job, JobEvent.RESUME);
        if (job.state == JobState.QUEUED && before != JobState.QUEUED) {
            table.toEndOfLine(job);
            job.retryTimer = null; // the retry clocks start afresh
            job.error = null;
        }
        table.persister.job(job);
    }

    /** Suspends the job; its run is asked to stop and checkpoints on its own (the call does not wait). */
    JobInfo suspend(String jobId) {
        synchronized (table.lock) {
            JobModel job = table.find(jobId);
            table.move(job, JobEvent.SUSPEND);
            JobTable.stopRun(job);
            table.persister.job(job);
            table.kick();
        }
        table.flush();
        return table.info(jobId);
    }

    /** Changes the job's properties; a new priority reaches its running transfers and the scheduler at once. */
    JobInfo change(String jobId, JobChanges c) {
        synchronized (table.lock) {
            JobModel job = table.find(jobId);
            refuseIfFinal(job);
            if (c.name() != null) {
                job.name = c.name();
            }
            if (c.description() != null) {
                job.description = c.description();
            }
            if (c.priority() != null && c.priority() != job.priority) {
                job.priority = c.priority();
                caps.apply(job);
                table.kick();
            }
            if (c.minRetryDelay() != null) {
                job.minRetryDelay = c.minRetryDelay();
                table.kick();
            }
            if (c.noProgressTimeout() != null) {
                job.noProgressTimeout = c.noProgressTimeout();
                table.kick();
            }
            table.touch(job);
            table.persister.job(job);
            table.events.modified(job, io.jbits.api.JobEvent.Change.PROPERTIES);
        }
        table.flush();
        return table.info(jobId);
    }

    /**
     * Changes a job's options ({@link JobOptions}) durably. Running transfers keep going: a feature that must act
     * on a change at once (a rate limit) reads the options it owns from the job on its own.
     */
    JobInfo updateOptions(String jobId, UnaryOperator<JobOptions> change) {
        synchronized (table.lock) {
            JobModel job = table.find(jobId);
            refuseIfFinal(job);
            job.options = change.apply(JobOptions.parse(job.options)).toJson();
            caps.apply(job);
            table.touch(job);
            table.persister.job(job);
            table.events.modified(job, io.jbits.api.JobEvent.Change.PROPERTIES);
        }
        table.flush();
        return table.info(jobId);
    }

    /** A job's options as they are now. */
    JobOptions options(String jobId) {
        synchronized (table.lock) {
            return JobOptions.parse(table.find(jobId).options);
        }
    }

    /**
     * Points a file at a new URL. A running job goes back to the queue, so the next run (which starts at once)
     * uses it; an upload's session belongs to its server, so a new URL starts the upload over.
     */
    JobInfo setRemoteUrl(String jobId, int fileIndex, String remoteUrl) {
        boolean upload;
        synchronized (table.lock) {
            upload = table.find(jobId).type != JobType.DOWNLOAD;
        }
        URI uri = transports.check(remoteUrl, upload);
        synchronized (table.lock) {
            JobModel job = table.find(jobId);
            refuseIfFinal(job);
            if (fileIndex < 0 || fileIndex >= job.ownerFiles().size()) {
                throw JbitsException.invalidArgument("job " + job.id + " has no file " + fileIndex + " (it has "
                        + job.ownerFiles().size() + ")");
            }
            FileModel f = job.files.get(fileIndex);
            if (f.kind == FileModel.Kind.UPLOAD && !f.remoteUrl.equals(uri.toString())) {
                f.transportState = "{}"; // a session belongs to its server: a new URL starts a new one
                f.written = 0;
                f.durable = 0;
                f.completed = false;
            }
            f.remoteUrl = uri.toString();
            if (job.state.isRunning()) {
                table.setState(job, JobState.QUEUED); // the new URL takes effect on the next run, which starts at once
                table.events.state(job);
                JobTable.stopRun(job);
            }
            table.events.modified(job, io.jbits.api.JobEvent.Change.FILES);
            table.touch(job);
            table.persister.job(job);
            table.persister.file(f);
            table.kick();
        }
        table.flush();
        return table.info(jobId);
    }

    /**
     * Registers a listener (of one job, or of all when {@code jobId} is null), with the TRANSFERRED and ERROR
     * events its jobs owe it first. Under the lock, so no event falls between what is owed and what is published
     * next.
     */
    Subscription subscribe(String jobId, Duration minProgressInterval, JobListener listener) {
        synchronized (table.lock) {
            if (jobId == null) {
                return delivery.subscribe(null, minProgressInterval, listener, EventSource.owed(table.all()));
            }
            JobModel job = table.find(jobId);
            return delivery.subscribe(job.id, minProgressInterval, listener, EventSource.owed(List.of(job)));
        }
    }

    private static void refuseIfFinal(JobModel job) {
        if (job.state.isFinal()) {
            throw JbitsException.invalidState("job " + job.id + " is " + job.state + ": it cannot change");
        }
    }
}
