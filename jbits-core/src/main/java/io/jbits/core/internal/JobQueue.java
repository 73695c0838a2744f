package io.jbits.core.internal;

import io.jbits.api.BitsCodes;
import io.jbits.api.EventDelivery;
import io.jbits.api.JobListener;
import io.jbits.api.Subscription;
import io.jbits.api.JbitsException;
import io.jbits.api.JobChanges;
import io.jbits.api.JobError;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.NewFile;
import io.jbits.api.NewJob;
import io.jbits.api.Priority;
import io.jbits.core.Bandwidth;
import io.jbits.core.EngineConfig;
import io.jbits.core.FileRow;
import io.jbits.core.JobOptions;
import io.jbits.core.RateSettings;
import io.jbits.core.JobRow;
import io.jbits.core.JobStore;
import io.jbits.core.Transport;
import io.jbits.core.UploadTransport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The owner's jobs and every decision about them, under one lock: the owner's calls, the scheduler's passes and
 * the reports of runs. Decisions are made under the lock; waiting for runs, disk work and store writes happen
 * after it is released.
 */
public final class JobQueue implements RunHost {
    private static final System.Logger LOG = System.getLogger(JobQueue.class.getName());
    private static final Duration KEEP_FINAL_JOBS = Duration.ofDays(1);
    private static final long RUN_STOP_WAIT_SECONDS = 30;
    private static final Comparator<JobModel> CREATION_ORDER = Comparator
            .comparing((JobModel j) -> j.created, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(j -> j.id);

    private final EngineConfig config;
    final Object lock;
    final Persister persister;
    private final Checkpointer checkpointer;
    private final Syncer syncer;
    private final UploadJobs uploads = new UploadJobs(this);
    private final Scheduler scheduler;
    private final EventDelivery delivery;
    private final EventSource events;
    private final Map<String, JobModel> jobs = new LinkedHashMap<>();
    /**
     * The jobs the scheduler and the progress pass look at: queued, running, waiting to retry, or with a run still
     * stopping. A job joins when it enters one of those states ({@link #setState}) and leaves on the next scheduler
     * pass after it left them, so an idle queue of 100,000 suspended jobs costs those passes nothing.
     */
    private final Set<JobModel> inPlay = new LinkedHashSet<>();
    private final Pacing pacing;
    private long nextSeq;
    private boolean changed;
    private boolean shuttingDown;

    public JobQueue(EngineConfig config, Object lock, Persister persister, Checkpointer checkpointer,
                    Syncer syncer, EventDelivery delivery) {
        this.delivery = delivery;
        this.events = new EventSource(delivery, config.clock(), persister);
        this.config = config;
        this.syncer = syncer;
        this.lock = lock;
        this.persister = persister;
        this.checkpointer = checkpointer;
        this.scheduler = new Scheduler(config.maxBackgroundJobs(), config.timeSlice().toNanos());
        this.pacing = new Pacing(config.ticker(), config.clock(), ZoneId.systemDefault(),
                config.backgroundGovernor(), Pacing.Sleeper.system());
    }

    /** The bandwidth limits every transfer of this queue shares. */
    public Pacing pacing() {
        return pacing;
    }

    /**
     * Brings a running job's pacer in line with the job's priority and {@code rate.max} option; a job without a run
     * has no pacer and gets one, up to date, when its next run starts ({@link #startPacing}).
     */
    private void pace(JobModel job) {
        if (job.pacer == null) {
            return;
        }
        job.pacer.foreground(job.priority == Priority.FOREGROUND);
        long cap = Shared.isEmptyObject(job.options) ? -1
                : RateSettings.from(JobOptions.parse(job.options)).maxBytesPerSecond();
        job.pacer.cap(cap >= Bandwidth.MIN_BYTES_PER_SECOND
                ? Bandwidth.of(cap) : Bandwidth.UNLIMITED);
    }

    /** Makes what only a running job needs: its pacer and its rate meter (dropped again in {@link #finished}). */
    private void startPacing(JobModel job) {
        job.pacer = pacing.newJob();
        job.rate = new RateMeter(config.ticker());
        pace(job);
    }

    /** Sets a job's state outside {@link #move} (which calls it too), keeping {@link #inPlay} up to date. */
    private void setState(JobModel job, JobState state) {
        job.state = state;
        if (inPlay(job)) {
            inPlay.add(job);
        }
    }

    private static boolean inPlay(JobModel job) {
        return job.state == JobState.QUEUED || job.state.isRunning() || job.state == JobState.TRANSIENT_ERROR
                || job.runAlive();
    }

    /**
     * Takes the stored jobs in: active ones go back to the queue, files are reconciled with their temporaries. The
     * store makes the models as it reads (on two threads for a large queue), so each job's rows are garbage as soon
     * as its model is made; the models are then put in creation order.
     */
    public void load(JobStore store) throws IOException {
        long now = config.ticker().nanos();
        Instant wallNow = config.clock().instant();
        synchronized (lock) {
            List<JobModel> loaded = store.loadMapped(s -> new JobModel(s.job(), s.files(), config.owner()));
            loaded.sort(CREATION_ORDER);
            for (JobModel job : loaded) {
                if (job.state.isFinal()) {
                    if (job.modified.plus(KEEP_FINAL_JOBS).isBefore(wallNow)) {
                        persister.delete(job.id);
                        continue;
                    }
                } else if (job.state.isActive()) {
                    job.queueSeq = nextSeq++;
                    setState(job, JobState.QUEUED);
                    persister.job(job);
                } else if (job.state == JobState.TRANSIENT_ERROR) {
                    job.retryTimer().onTransientError(now, job.minRetryDelay, job.noProgressTimeout);
                    setState(job, JobState.TRANSIENT_ERROR);
                }
                for (FileModel f : job.files) {
                    reconcile(job, f);
                }
                events.loaded(job);
                jobs.put(job.id, job);
            }
        }
        persister.flush();
    }

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
                    persister.file(f);
                }
            } else if (Math.max(0, size) < f.durable) { // no temporary and nothing durable yet: nothing to do
                f.generation++;
                f.written = Math.max(0, size);
                f.durable = f.written;
                persister.file(f);
            } else if (size > f.durable && config.trustUnsyncedBytes() && f.bytesTotal >= 0
                    && size <= f.bytesTotal) {
                f.written = size; // same boot: what the killed service wrote is still in the page cache
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot inspect " + f.tempPath() + ": " + e.getMessage());
        }
    }

    public JobInfo create(NewJob spec) {
        Instant now = config.clock().instant();
        String id = UUID.randomUUID().toString();
        JobRow row = new JobRow(id, spec.name(), spec.description(), spec.type(), spec.priority(), config.owner(),
                JobState.SUSPENDED, now, now, null, Shared.DEFAULT_MIN_RETRY_DELAY, Shared.DEFAULT_NO_PROGRESS_TIMEOUT, 0, null,
                "{}");
        JobModel job = new JobModel(row, List.of(), config.owner());
        synchronized (lock) {
            jobs.put(id, job);
            persister.job(job);
        }
        flush();
        return info(id);
    }

    public JobInfo addFile(String jobId, String remoteUrl, String localPath) {
        return addFiles(jobId, List.of(new NewFile(remoteUrl, localPath)));
    }

    /** Adds files all or none: every URL and path is checked before the first is added; one durable write. */
    public JobInfo addFiles(String jobId, List<NewFile> files) {
        if (files.isEmpty()) {
            throw JbitsException.invalidArgument("no files to add");
        }
        JobType type;
        synchronized (lock) {
            type = find(jobId).type;
        }
        if (type != JobType.DOWNLOAD) {
            if (files.size() > 1) {
                throw new JbitsException(BitsCodes.BG_E_TOO_MANY_FILES, "an upload job holds exactly one file");
            }
            return uploads.add(jobId, files.get(0).remoteUrl(), files.get(0).localPath());
        }
        List<String[]> checked = new ArrayList<>(files.size());
        Set<String> locals = new HashSet<>();
        for (NewFile f : files) {
            String local = Inputs.localPath(f.localPath());
            if (!locals.add(local)) {
                throw JbitsException.invalidArgument("two files of the set write " + local);
            }
            checked.add(new String[] {checkUrl(f.remoteUrl(), false).toString(), local});
        }
        synchronized (lock) {
            JobModel job = find(jobId);
            if (job.state.isFinal()) {
                throw JbitsException.invalidState("job " + job.id + " is " + job.state + ": no files can be added");
            }
            for (FileModel f : job.files) {
                if (locals.contains(f.localPath)) {
                    throw JbitsException.invalidArgument("job " + job.id + " already writes " + f.localPath);
                }
            }
            for (String[] c : checked) {
                FileRow row = new FileRow(job.id, job.files.size(), c[0], c[1], LocalFiles.tempPathFor(job.id, c[1]),
                        -1, 0, false, null, null, "{}");
                FileModel file = new FileModel(row, job.id, FileModel.Kind.DOWNLOAD);
                job.files.add(file);
                persister.file(file);
            }
            touch(job);
            persister.job(job);
            events.modified(job, io.jbits.api.JobEvent.Change.FILES);
        }
        flush();
        return info(jobId);
    }

    public JobInfo setReplyFile(String jobId, String localPath) {
        return uploads.setReplyFile(jobId, localPath);
    }

    public byte[] replyData(String jobId) {
        return uploads.replyData(jobId);
    }

    public JobInfo resume(String jobId) {
        synchronized (lock) {
            JobModel job = find(jobId);
            refuseWhileClosing(job);
            JobState before = job.state;
            move(job, JobEvent.RESUME);
            if (job.state == JobState.QUEUED && before != JobState.QUEUED) {
                job.queueSeq = nextSeq++;
                job.retryTimer = null; // the retry clocks start afresh
                job.error = null;
            }
            persister.job(job);
            kick();
        }
        flush();
        return info(jobId);
    }

    public JobInfo suspend(String jobId) {
        synchronized (lock) {
            JobModel job = find(jobId);
            move(job, JobEvent.SUSPEND);
            stopRun(job);
            persister.job(job);
            kick();
        }
        flush();
        return info(jobId);
    }

    public JobInfo cancel(String jobId) {
        JobModel job;
        JobRun run;
        synchronized (lock) {
            job = find(jobId);
            refuseWhileClosing(job);
            move(job, JobEvent.CANCEL);
            job.closing = true;
            run = stopRun(job);
            persister.job(job);
            kick();
        }
        flush();
        awaitEnd(run);
        List<FileModel> files;
        synchronized (lock) {
            files = List.copyOf(job.files);
        }
        if (!LocalFiles.deleteTemps(files)) {
            LOG.log(System.Logger.Level.WARNING, "job " + job.id + ": some temporary files could not be deleted");
        }
        if (job.type != JobType.DOWNLOAD && !files.isEmpty()) {
            uploads.endSession(job, files.get(0));
        }
        synchronized (lock) {
            job.closing = false;
        }
        return info(job.id);
    }

    public JobInfo complete(String jobId) {
        JobModel job;
        JobRun run;
        JobState before;
        synchronized (lock) {
            job = find(jobId);
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
                setState(job, JobState.SUSPENDED); // keeps the scheduler away while the files move
            }
            job.closing = true;
            run = stopRun(job);
        }
        awaitEnd(run);
        List<FileModel> done = new ArrayList<>();
        List<FileModel> partial = new ArrayList<>();
        synchronized (lock) {
            for (FileModel f : job.files) {
                (f.completed ? done : partial).add(f);
            }
        }
        try {
            LocalFiles.publish(done);
        } catch (IOException e) {
            synchronized (lock) {
                setState(job, before.isActive() ? JobState.SUSPENDED : before);
                job.closing = false;
                if (job.state != before) {
                    events.state(job);
                }
                persister.job(job);
                kick();
            }
            flush();
            throw new JbitsException(BitsCodes.E_ACCESSDENIED, "job " + job.id + " not completed: " + e.getMessage(), e);
        }
        LocalFiles.deleteTemps(partial);
        synchronized (lock) {
            setState(job, JobState.ACKNOWLEDGED);
            job.closing = false;
            touch(job);
            events.state(job);
            persister.job(job);
            kick();
        }
        flush();
        return info(job.id);
    }

    public JobInfo change(String jobId, JobChanges c) {
        synchronized (lock) {
            JobModel job = find(jobId);
            if (job.state.isFinal()) {
                throw JbitsException.invalidState("job " + job.id + " is " + job.state + ": it cannot change");
            }
            if (c.name() != null) {
                job.name = c.name();
            }
            if (c.description() != null) {
                job.description = c.description();
            }
            if (c.priority() != null && c.priority() != job.priority) {
                job.priority = c.priority();
                pace(job);
                kick();
            }
            if (c.minRetryDelay() != null) {
                job.minRetryDelay = c.minRetryDelay();
                kick();
            }
            if (c.noProgressTimeout() != null) {
                job.noProgressTimeout = c.noProgressTimeout();
                kick();
            }
            touch(job);
            persister.job(job);
            events.modified(job, io.jbits.api.JobEvent.Change.PROPERTIES);
        }
        flush();
        return info(jobId);
    }

    /**
     * Changes a job's options ({@link JobOptions}) durably. Running transfers keep going: a feature that must act
     * on a change at once (a rate limit) reads the options it owns from the job on its own.
     */
    public JobInfo updateOptions(String jobId, UnaryOperator<JobOptions> change) {
        synchronized (lock) {
            JobModel job = find(jobId);
            if (job.state.isFinal()) {
                throw JbitsException.invalidState("job " + job.id + " is " + job.state + ": it cannot change");
            }
            job.options = change.apply(JobOptions.parse(job.options)).toJson();
            pace(job);
            touch(job);
            persister.job(job);
            events.modified(job, io.jbits.api.JobEvent.Change.PROPERTIES);
        }
        flush();
        return info(jobId);
    }

    /** A job's options as they are now. */
    public JobOptions options(String jobId) {
        synchronized (lock) {
            return JobOptions.parse(find(jobId).options);
        }
    }

    public JobInfo setRemoteUrl(String jobId, int fileIndex, String remoteUrl) {
        boolean upload;
        synchronized (lock) {
            upload = find(jobId).type != JobType.DOWNLOAD;
        }
        URI uri = checkUrl(remoteUrl, upload);
        synchronized (lock) {
            JobModel job = find(jobId);
            if (job.state.isFinal()) {
                throw JbitsException.invalidState("job " + job.id + " is " + job.state + ": it cannot change");
            }
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
                setState(job, JobState.QUEUED); // the new URL takes effect on the next run, which starts at once
                events.state(job);
                stopRun(job);
            }
            events.modified(job, io.jbits.api.JobEvent.Change.FILES);
            touch(job);
            persister.job(job);
            persister.file(f);
            kick();
        }
        flush();
        return info(jobId);
    }

    public JobInfo info(String jobId) {
        synchronized (lock) {
            return find(jobId).toInfo();
        }
    }

    public List<JobInfo> infos(boolean includeFinal) {
        return infos(includeFinal, true);
    }

    /** The jobs as {@link #infos(boolean)} has them; without {@code withFiles} no file list is made at all. */
    public List<JobInfo> infos(boolean includeFinal, boolean withFiles) {
        synchronized (lock) {
            List<JobInfo> out = new ArrayList<>(jobs.size());
            for (JobModel j : jobs.values()) {
                if (includeFinal || !j.state.isFinal()) {
                    out.add(j.toInfo(withFiles));
                }
            }
            return out;
        }
    }

    /** How many jobs the scheduler and progress passes look at (for tests). */
    int inPlayCount() {
        synchronized (lock) {
            return inPlay.size();
        }
    }

    /** How many jobs {@link #infos} would list. */
    public int count(boolean includeFinal) {
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

    /**
     * One scheduler pass: retry timers, then BITS's rules for who runs. Returns the nanoseconds until something
     * is due again.
     */
    public long schedule() {
        long now = config.ticker().nanos();
        List<JobRun> toStart = new ArrayList<>();
        long wait = TimeUnit.SECONDS.toNanos(1);
        synchronized (lock) {
            if (shuttingDown) {
                return wait;
            }
            List<Scheduler.Entry> entries = new ArrayList<>();
            for (Iterator<JobModel> it = inPlay.iterator(); it.hasNext(); ) {
                JobModel job = it.next();
                if (!inPlay(job)) {
                    it.remove();
                    continue;
                }
                if (job.state == JobState.TRANSIENT_ERROR) {
                    wait = Math.min(wait, retryPass(job, now));
                }
                if (job.state.isRunning() || job.state == JobState.QUEUED && !job.runAlive() && !job.closing) {
                    entries.add(new Scheduler.Entry(job.id, job.priority, job.state, job.queueSeq, job.startedNanos));
                }
            }
            Scheduler.Decision d = scheduler.decide(entries, now);
            for (String id : d.preempt()) {
                JobModel job = jobs.get(id);
                move(job, JobEvent.PREEMPTED);
                job.queueSeq = nextSeq++;
                stopRun(job);
                persister.job(job);
            }
            for (String id : d.start()) {
                JobModel job = jobs.get(id);
                move(job, JobEvent.SCHEDULED);
                job.startedNanos = now;
                List<FileModel> pending = job.pendingFiles();
                if (pending.isEmpty() && job.type != JobType.UPLOAD_REPLY) {
                    move(job, JobEvent.ALL_TRANSFERRED);
                    job.transferCompleted = config.clock().instant();
                } else {
                    startPacing(job);
                    job.run = new JobRun(this, job, pending, config.filesInParallel());
                    toStart.add(job.run);
                }
                persister.job(job);
            }
            long slice = scheduler.nanosUntilSliceEnd(entries, now);
            if (slice >= 0) {
                wait = Math.min(wait, Math.max(slice, TimeUnit.MILLISECONDS.toNanos(10)));
            }
        }
        for (JobRun run : toStart) {
            run.start();
        }
        flush();
        return wait;
    }

    private long retryPass(JobModel job, long now) {
        RetryTimer timer = job.retryTimer();
        switch (timer.verdict(now, job.noProgressTimeout)) {
            case RETRY -> {
                move(job, JobEvent.RETRY_DUE);
                job.queueSeq = nextSeq++;
                persister.job(job);
                return 0;
            }
            case GIVE_UP -> {
                JobError e = job.error;
                job.error = e == null ? null : e.asFatal();
                move(job, JobEvent.FATAL_FAILURE);
                persister.job(job);
                return TimeUnit.SECONDS.toNanos(1);
            }
            case WAIT -> {
                return timer.nanosUntilDue(now, job.noProgressTimeout);
            }
        }
        throw new AssertionError();
    }

    /** Waits up to {@code nanos} for a change that calls for a scheduler pass. */
    public void awaitChange(long nanos) {
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

    /** Stops every run and waits for each to checkpoint. States stay as they are: active jobs re-queue on load. */
    public void shutdown() {
        List<JobRun> runs = new ArrayList<>();
        synchronized (lock) {
            shuttingDown = true;
            for (JobModel job : jobs.values()) {
                if (job.run != null) {
                    runs.add(job.run);
                    job.run.stop();
                }
            }
            kick();
        }
        for (JobRun run : runs) {
            awaitEnd(run);
        }
        flush();
    }

    /**
     * Registers a listener, with the TRANSFERRED and ERROR events its jobs owe it first. Under the lock, so no
     * event falls between what is owed and what is published next.
     */
    public Subscription subscribe(String jobId, Duration minProgressInterval, JobListener listener) {
        synchronized (lock) {
            if (jobId == null) {
                return delivery.subscribe(null, minProgressInterval, listener, EventSource.owed(jobs.values()));
            }
            JobModel job = find(jobId);
            return delivery.subscribe(job.id, minProgressInterval, listener, EventSource.owed(List.of(job)));
        }
    }

    /** Turns the bytes moved since the last pass into one progress event per job. */
    public void progressPass() {
        boolean reserved;
        synchronized (lock) {
            for (JobModel job : inPlay) {
                if (job.progressDirty) {
                    job.progressDirty = false;
                    if (job.state.isRunning()) { // the state event that ended the run carries the last figures
                        events.progress(job);
                    }
                }
            }
            reserved = events.takeReserved();
        }
        if (reserved) {
            flush();
        }
    }

    // ---- RunHost: reports from runs ----

    @Override
    public Transport transportFor(URI remote) {
        for (Transport t : config.transports()) {
            if (t.handles(remote)) {
                return t;
            }
        }
        return null;
    }

    @Override
    public UploadTransport uploadTransportFor(URI remote) {
        for (UploadTransport t : config.uploadTransports()) {
            if (t.handlesUpload(remote)) {
                return t;
            }
        }
        return null;
    }

    @Override
    public void connected(JobRun run) {
        synchronized (lock) {
            JobModel job = run.job;
            if (job.run == run && job.state == JobState.CONNECTING) {
                move(job, JobEvent.CONNECTED);
                persister.job(job);
            }
        }
    }

    @Override
    public void progress(JobRun run, long bytes, boolean newBytes) {
        JobModel job = run.job;
        job.progressDirty = true;
        RateMeter meter = job.rate;
        if (meter != null) {
            meter.add(bytes);
        }
        RetryTimer timer = job.retryTimer;
        if (newBytes && timer != null) {
            timer.onProgress(); // a job without a timer has no clock running
        }
    }

    @Override
    public void fileChanged(FileModel file, boolean now) {
        persister.file(file);
        if (now) {
            flush();
        }
    }

    @Override
    public void written(JobRun run, FileModel file) {
        run.syncing();
        syncer.submit(file, (f, failure) -> {
            if (failure == null) {
                synchronized (f) {
                    f.bytesTotal = f.written;
                    f.durable = f.written;
                    f.completed = true;
                }
                persister.file(f);
                synchronized (lock) {
                    if (run.job.files.contains(f) && f.kind == FileModel.Kind.DOWNLOAD) {
                        events.fileTransferred(run.job, f.index);
                    }
                }
            } else {
                LOG.log(System.Logger.Level.WARNING, "cannot make " + f.tempPath() + " durable: "
                        + failure.getMessage());
            }
            run.synced(failure);
        });
    }

    @Override
    public void writing(FileModel file, boolean active) {
        checkpointer.writing(file, active);
    }

    @Override
    public void finished(JobRun run, Outcome outcome) {
        List<FileModel> orphans = List.of();
        synchronized (lock) {
            JobModel job = run.job;
            boolean current = job.run == run;
            if (current) {
                job.run = null;
                job.pacer = null;
                job.rate = null;
            }
            if (current && job.state.isRunning() && !shuttingDown) {
                switch (outcome) {
                    case AllDone a -> {
                        if (job.allFilesDone()) {
                            move(job, JobEvent.ALL_TRANSFERRED);
                            job.transferCompleted = config.clock().instant();
                            job.error = null;
                        } else {
                            move(job, JobEvent.PREEMPTED); // files were added during the run
                        }
                    }
                    case Stopped s -> {
                        // stopped without a new state: only a shutdown does that, and it keeps the state
                    }
                    case Failed f -> fail(job, f.error());
                }
            }
            if (job.state == JobState.CANCELLED) {
                orphans = List.copyOf(job.files); // the run outlived cancel's wait: its files go now
            }
            touch(job);
            persister.jobAndFiles(job);
            kick();
        }
        LocalFiles.deleteTemps(orphans);
        flush();
    }

    private void fail(JobModel job, JobError error) {
        job.errorCount++;
        long now = config.ticker().nanos();
        boolean retry = error.transientError()
                && job.retryTimer().onTransientError(now, job.minRetryDelay, job.noProgressTimeout);
        if (retry) {
            job.error = error;
            move(job, JobEvent.TRANSIENT_FAILURE);
        } else {
            job.error = error.asFatal();
            move(job, JobEvent.FATAL_FAILURE);
        }
        LOG.log(System.Logger.Level.INFO, "job " + job.id + " -> " + job.state + ": " + error.message());
    }

    // ---- helpers ----

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

    private void move(JobModel job, JobEvent event) {
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

    URI checkUrl(String remoteUrl, boolean upload) {
        return Inputs.url(remoteUrl, upload, upload ? u -> uploadTransportFor(u) != null : u -> transportFor(u) != null);
    }

    static void refuseWhileClosing(JobModel job) {
        if (job.closing) {
            throw JbitsException.invalidState("job " + job.id + " is being completed or cancelled");
        }
    }

    private JobRun stopRun(JobModel job) {
        JobRun run = job.run;
        if (run != null) {
            run.stop();
        }
        return run;
    }

    private static void awaitEnd(JobRun run) {
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

    void touch(JobModel job) {
        job.modified = config.clock().instant();
    }

    private void kick() {
        changed = true;
        lock.notifyAll();
    }

    void flush() {
        try {
            persister.flush();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot write the job store: " + e.getMessage(), e);
        }
    }
}
