package io.jbits.core.internal;

import io.jbits.events.EventDelivery;
import io.jbits.api.JobChanges;
import io.jbits.api.JobInfo;
import io.jbits.api.JobListener;
import io.jbits.api.NewFile;
import io.jbits.api.NewJob;
import io.jbits.api.Subscription;
import io.jbits.core.EngineConfig;
import io.jbits.spi.JobOptions;
import io.jbits.spi.JobStore;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The owner's job queue as the {@link io.jbits.core.Engine} sees it: wires the parts that share one
 * {@link JobTable} and its one lock, and hands each call to the part that owns it.
 *
 * <ul>
 *   <li>{@link Recovery} loads the stored jobs at start-up and reconciles their temporary files;</li>
 *   <li>{@link Commands} takes the owner's calls that make and change jobs, {@link UploadJobs} those only upload
 *       jobs have, {@link Closing} cancel and complete;</li>
 *   <li>{@link Dispatch} is the scheduler pass: who runs, starting and stopping runs;</li>
 *   <li>{@link RunReports} takes the reports of running transfers and makes the progress events;</li>
 *   <li>{@link RateCaps} keeps running jobs' pacers in line with their priorities and caps.</li>
 * </ul>
 * The locking rule is the table's: decisions under the lock, everything that may block (store writes, waiting for
 * runs, disk work, starting runs) after it is released. Listeners are never called under it: events only queue.
 */
public final class JobQueue {
    private final JobTable table;
    private final RateCaps caps;
    private final Recovery recovery;
    private final Commands commands;
    private final UploadJobs uploads;
    private final Closing closing;
    private final RunReports reports;
    private final Dispatch dispatch;

    public JobQueue(EngineConfig config, Object lock, Persister persister, Checkpointer checkpointer,
                    Syncer syncer, EventDelivery delivery) {
        this.table = new JobTable(lock, persister, new EventSource(delivery, config.clock(), persister),
                config.clock(), config.ticker());
        Transports transports = new Transports(config.transports(), config.uploadTransports());
        this.caps = new RateCaps(new Pacing(config.ticker(), config.clock(), ZoneId.systemDefault(),
                config.backgroundGovernor(), Pacing.Sleeper.system()), config.ticker());
        this.recovery = new Recovery(table, config.owner(), config.clock(), config.ticker(),
                config.trustUnsyncedBytes());
        this.uploads = new UploadJobs(table, transports);
        this.commands = new Commands(table, transports, caps, uploads, delivery, config.clock(), config.owner());
        this.closing = new Closing(table, uploads);
        this.reports = new RunReports(table, transports, caps, syncer, checkpointer, config.clock(),
                config.ticker());
        this.dispatch = new Dispatch(table, caps, reports, config.clock(), config.ticker(),
                config.maxBackgroundJobs(), config.timeSlice(), config.filesInParallel());
    }

    /** The bandwidth limits every transfer of this queue shares. */
    public Pacing pacing() {
        return caps.pacing();
    }

    /** Takes the stored jobs in (see {@link Recovery}); before the first scheduler pass. */
    public void load(JobStore store) throws IOException {
        recovery.load(store);
    }

    // ---- the owner's calls ----

    public JobInfo create(NewJob spec) {
        return commands.create(spec);
    }

    public JobInfo addFile(String jobId, String remoteUrl, String localPath) {
        return commands.addFiles(jobId, List.of(new NewFile(remoteUrl, localPath)));
    }

    /** Adds files all or none: every URL and path is checked before the first is added; one durable write. */
    public JobInfo addFiles(String jobId, List<NewFile> files) {
        return commands.addFiles(jobId, files);
    }

    /** Creates a download job with its files and queues it, all or none, in one durable write. */
    public JobInfo startDownload(io.jbits.api.NewJob job, List<NewFile> files) {
        return commands.startDownload(job, files);
    }

    /** Creates upload jobs with their files and queues them, all or none, in one durable write. */
    public List<JobInfo> startUploads(List<io.jbits.api.NewUpload> uploads) {
        return commands.startUploads(uploads);
    }

    public JobInfo setReplyFile(String jobId, String localPath) {
        return uploads.setReplyFile(jobId, localPath);
    }

    public byte[] replyData(String jobId) {
        return uploads.replyData(jobId);
    }

    public JobInfo resume(String jobId) {
        return commands.resume(jobId);
    }

    public JobInfo suspend(String jobId) {
        return commands.suspend(jobId);
    }

    public JobInfo cancel(String jobId) {
        return closing.cancel(jobId);
    }

    public JobInfo complete(String jobId) {
        return closing.complete(jobId);
    }

    public List<JobInfo> completeAll(List<String> jobIds) {
        return closing.completeAll(jobIds);
    }

    public JobInfo change(String jobId, JobChanges changes) {
        return commands.change(jobId, changes);
    }

    /** Changes a job's options durably (see {@link Commands#updateOptions}). */
    public JobInfo updateOptions(String jobId, UnaryOperator<JobOptions> change) {
        return commands.updateOptions(jobId, change);
    }

    /** A job's options as they are now. */
    public JobOptions options(String jobId) {
        return commands.options(jobId);
    }

    public JobInfo setRemoteUrl(String jobId, int fileIndex, String remoteUrl) {
        return commands.setRemoteUrl(jobId, fileIndex, remoteUrl);
    }

    /** Registers a listener, with the TRANSFERRED and ERROR events its jobs owe it first. */
    public Subscription subscribe(String jobId, Duration minProgressInterval, JobListener listener) {
        return commands.subscribe(jobId, minProgressInterval, listener);
    }

    // ---- reading ----

    public JobInfo info(String jobId) {
        return table.info(jobId);
    }

    public List<JobInfo> infos(boolean includeFinal) {
        return table.infos(includeFinal, true);
    }

    /** The jobs as {@link #infos(boolean)} has them; without {@code withFiles} no file list is made at all. */
    public List<JobInfo> infos(boolean includeFinal, boolean withFiles) {
        return table.infos(includeFinal, withFiles);
    }

    /** How many jobs {@link #infos} would list. */
    public int count(boolean includeFinal) {
        return table.count(includeFinal);
    }

    // ---- the engine's threads ----

    /** One scheduler pass; returns the nanoseconds until something is due again. */
    public long schedule() {
        return dispatch.schedule();
    }

    /** Waits up to {@code nanos} for a change that calls for a scheduler pass. */
    public void awaitChange(long nanos) {
        dispatch.awaitChange(nanos);
    }

    /**
     * While no job has a run, waits up to {@code nanos} for a change and returns true; returns false at once while
     * one has (or the engine stops).
     */
    public boolean awaitWhileIdle(long nanos) {
        return table.awaitWhileIdle(nanos);
    }

    /** Whether some job has a run now. */
    public boolean hasRuns() {
        return table.hasRuns();
    }

    /** Whether no job has a run and none is in play: nothing for a scheduler pass to do until a change. */
    public boolean quiet() {
        return table.quiet();
    }

    /** Turns the bytes moved since the last pass into one progress event per job. */
    public void progressPass() {
        reports.progressPass();
    }

    /** Stops every run and waits for each to checkpoint. States stay as they are: active jobs re-queue on load. */
    public void shutdown() {
        dispatch.shutdown();
    }

    // ---- for tests of this package ----

    /** The job with this id or unique id prefix. Caller holds the lock. */
    JobModel find(String jobId) {
        return table.find(jobId);
    }

    /** How many jobs the scheduler and progress passes look at. */
    int inPlayCount() {
        return table.inPlayCount();
    }
}
