package io.jbits.api;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The queue of transfer jobs of one owner: create jobs, add files, drive them through their states, read them.
 *
 * <p>Two implementations share this contract: the engine embedded in the caller's process, and the client of the
 * user's service. Every method that names a job accepts its full id or a unique prefix of it, and throws
 * {@link JbitsException} with {@link BitsCodes#BG_E_NOT_FOUND} for an unknown job and
 * {@link BitsCodes#BG_E_INVALID_STATE} for a call the job's state does not allow.
 */
public interface TransferManager extends AutoCloseable {
    /** The minimum interval between two progress events of one job to a listener that does not ask otherwise. */
    java.time.Duration DEFAULT_PROGRESS_INTERVAL = java.time.Duration.ofMillis(500);

    /** Creates a job in state SUSPENDED and returns it. */
    JobInfo create(NewJob job);

    /**
     * Adds a file to a job. For a download the remote URL is the source and the local path the final name; a
     * relative local path is refused (callers resolve it against their working directory).
     */
    JobInfo addFile(String jobId, String remoteUrl, String localPath);

    /**
     * Adds several files at once, all or none (BITS AddFileSet): one call and one durable write however many
     * files, which is what thousands of small files need. The default adds them one by one.
     */
    default JobInfo addFiles(String jobId, java.util.List<NewFile> files) {
        if (files.isEmpty()) {
            throw JbitsException.invalidArgument("no files to add");
        }
        JobInfo last = null;
        for (NewFile f : files) {
            last = addFile(jobId, f.remoteUrl(), f.localPath());
        }
        return last;
    }

    /**
     * Creates a download job with its files and queues it: {@link #create}, {@link #addFiles} and {@link #resume} in
     * one call, all or none. An implementation that can stores the job, its files and its state in one durable
     * write. The default makes the three calls and cancels the job when one fails.
     *
     * @throws JbitsException {@link BitsCodes#E_INVALIDARG} for a job that is not a download, or no files
     */
    default JobInfo startDownload(NewJob job, List<NewFile> files) {
        if (job.type() != JobType.DOWNLOAD) {
            throw JbitsException.invalidArgument("'" + job.name() + "' is not a download job: use startUploads");
        }
        if (files.isEmpty()) {
            throw JbitsException.invalidArgument("no files to download");
        }
        String id = create(job).id();
        try {
            addFiles(id, files);
            return resume(id);
        } catch (RuntimeException e) {
            try {
                cancel(id);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Creates one upload job per entry, each with its one file, and queues them all: the batch form of
     * {@link #create}, {@link #addFile} and {@link #resume} for many small uploads. All or none: every job and file
     * is checked before the first job is created, and an implementation that can stores the whole batch in one
     * durable write. Answers the jobs in the order given. The default makes the calls one by one and cancels the
     * jobs it created when one fails.
     *
     * @throws JbitsException {@link BitsCodes#E_INVALIDARG} for an empty batch or a job that is not an upload
     */
    default List<JobInfo> startUploads(List<NewUpload> uploads) {
        if (uploads.isEmpty()) {
            throw JbitsException.invalidArgument("no uploads to start");
        }
        for (NewUpload u : uploads) {
            if (u.job().type() == JobType.DOWNLOAD) {
                throw JbitsException.invalidArgument("a batch of uploads holds no download job ('"
                        + u.job().name() + "')");
            }
        }
        List<String> created = new java.util.ArrayList<>(uploads.size());
        try {
            for (NewUpload u : uploads) {
                String id = create(u.job()).id();
                created.add(id);
                addFile(id, u.file().remoteUrl(), u.file().localPath());
            }
            List<JobInfo> started = new java.util.ArrayList<>(created.size());
            for (String id : created) {
                started.add(resume(id));
            }
            return started;
        } catch (RuntimeException e) {
            for (String id : created) {
                try {
                    cancel(id);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** The job with this id or unique id prefix. */
    JobInfo job(String jobId);

    /** The owner's jobs, oldest first; final jobs (ACKNOWLEDGED, CANCELLED) only when asked for. */
    List<JobInfo> jobs(boolean includeFinal);

    /**
     * The owner's jobs as {@link #jobs} lists them, without each job's file list (the file counts stay): what a
     * listing of a large queue needs. The default drops the files from {@link #jobs}.
     */
    default List<JobInfo> jobSummaries(boolean includeFinal) {
        return jobs(includeFinal).stream().map(JobInfo::withoutFiles).toList();
    }

    /** How many jobs {@link #jobs} would list, without building them (a status line of a large queue needs it). */
    default int jobCount(boolean includeFinal) {
        return jobs(includeFinal).size();
    }

    /** Queues a job for transfer (from SUSPENDED, ERROR, TRANSIENT_ERROR or TRANSFERRED with new files). */
    JobInfo resume(String jobId);

    /** Stops a job's transfers and keeps it, with its progress, in SUSPENDED. */
    JobInfo suspend(String jobId);

    /** Stops a job, deletes its temporary files: CANCELLED. */
    JobInfo cancel(String jobId);

    /**
     * Moves the job's transferred files to their final names, atomically per file: ACKNOWLEDGED. Files not fully
     * transferred are dropped, as BITS does.
     */
    JobInfo complete(String jobId);

    /**
     * Completes several jobs, as {@link #complete} does each, in the order given: the batch form for many small
     * upload jobs. Every job's new state is durable when the call returns (an implementation that can stores them in
     * one durable write). Answers the jobs in the order given. A job that cannot be completed fails the call; the
     * jobs before it stay completed. The default makes the calls one by one.
     *
     * @throws JbitsException {@link BitsCodes#E_INVALIDARG} for an empty batch, or as {@link #complete}
     */
    default List<JobInfo> completeAll(List<String> jobIds) {
        if (jobIds.isEmpty()) {
            throw JbitsException.invalidArgument("no jobs to complete");
        }
        List<JobInfo> completed = new java.util.ArrayList<>(jobIds.size());
        for (String id : jobIds) {
            completed.add(complete(id));
        }
        return completed;
    }

    /** Changes a job's properties. */
    JobInfo change(String jobId, JobChanges changes);

    /**
     * Points one file at a new remote URL (BITS 2.0 SetRemoteName). The transfer continues where it was when the
     * new URL serves the same entity (size and validators), and restarts that file otherwise.
     */
    JobInfo setRemoteUrl(String jobId, int fileIndex, String remoteUrl);

    /**
     * Sets where an upload-reply job's reply goes (BITS SetReplyFileName); only before the job first runs. A relative
     * path is refused. By default the reply goes beside the uploaded file.
     */
    JobInfo setReplyFile(String jobId, String localPath);

    /**
     * The reply of an upload-reply job as bytes (BITS GetReplyData): at most 1 MiB, else
     * {@link BitsCodes#BG_E_TOO_LARGE}; {@link BitsCodes#BG_E_INVALID_STATE} before the reply has arrived.
     */
    byte[] replyData(String jobId);

    /**
     * Registers a listener for one job's events or every job's (BITS SetNotifyInterface). Events of a job arrive in
     * order on the listener's own thread; TRANSFERRED and ERROR arrive at least once, also when the listener is
     * added after the job got there (so an application that restarts adds its listeners again and misses nothing).
     *
     * @param jobId a job id or unique prefix, or null for every job of the owner (also jobs created later)
     * @param minProgressInterval at least this long between two progress events of one job (BITS's minimum
     *     notification interval); zero for every progress event the manager produces
     * @since 0.1
     */
    Subscription addListener(String jobId, Duration minProgressInterval, JobListener listener);

    /** Registers a listener for every job, with progress at most every 500 ms per job. */
    default Subscription addListener(JobListener listener) {
        return addListener(null, DEFAULT_PROGRESS_INTERVAL, listener);
    }

    /** Registers a listener for one job, with progress at most every 500 ms. */
    default Subscription addListener(String jobId, JobListener listener) {
        return addListener(jobId, DEFAULT_PROGRESS_INTERVAL, listener);
    }

    /**
     * Sets the program run when the job is transferred or fails (BITS SetNotifyCmdLine): {@code commandLine} is
     * the program's absolute path and its arguments, split as a shell would split words in quotes; it runs as the
     * job's owner with {@code JBITS_JOB_ID} and {@code JBITS_EVENT} in its environment, and again later when it
     * exits non-zero. A null command line clears it.
     *
     * @param on the events that run it: TRANSFERRED, ERROR, MODIFIED; empty means TRANSFERRED and ERROR
     * @since 0.1
     */
    JobInfo setNotifyCommand(String jobId, String commandLine, Set<JobEvent.Kind> on);

    /** Starts describing a download job: {@code jobs.download("name").file(url, path).start()}. */
    default DownloadBuilder download(String name) {
        return new DownloadBuilder(this, name);
    }

    /**
     * A future that completes with the job once it is TRANSFERRED (or already ACKNOWLEDGED), and completes
     * exceptionally with a {@link JbitsException} carrying the job's error code when it reaches ERROR, or with
     * {@link BitsCodes#BG_E_INVALID_STATE} when it is cancelled. Transient errors do not end it.
     */
    default CompletableFuture<JobInfo> whenTransferred(String jobId) {
        return JobFutures.transferred(this, jobId);
    }

    /** Like {@link #whenTransferred}, then {@link #complete}s the job: the future's job is ACKNOWLEDGED. */
    default CompletableFuture<JobInfo> whenCompleted(String jobId) {
        return whenTransferred(jobId).thenApply(j -> j.state() == JobState.ACKNOWLEDGED ? j : complete(j.id()));
    }

    /** The owner's jobs with this display name, oldest first (final ones too), to re-attach after a restart. */
    default List<JobInfo> jobsNamed(String name) {
        return jobs(true).stream().filter(j -> j.name().equals(name)).toList();
    }

    /**
     * Caps one job's transfer rate (beyond BITS), on top of the owner's bandwidth policy; a running transfer slows
     * down or speeds up within a second, without restarting.
     *
     * @param bytesPerSecond the cap, at least 1024; negative removes the cap
     */
    JobInfo setMaxRate(String jobId, long bytesPerSecond);

    /**
     * Sets the credentials a job presents to its server or proxy for one scheme (BITS SetCredentials), replacing
     * any set before for the same target and scheme. Only the owner can read them back, and only the transports
     * do: {@link JobInfo#options()} shows the target, scheme and user ({@code cred.server.basic.user}), never the
     * secret. The caller may {@link Credentials#wipe} its copy once this returns.
     */
    JobInfo setCredentials(String jobId, Credentials credentials);

    /** Removes a job's credentials for one target and scheme (BITS RemoveCredentials); nothing to remove is fine. */
    JobInfo removeCredentials(String jobId, AuthTarget target, AuthScheme scheme);

    /**
     * Sets how a job's HTTP requests use proxies (BITS SetProxySettings): {@code proxies} (entries
     * {@code [http=|https=][http://]host[:port]}) and {@code bypass} (host names, {@code *.domain}, {@code <local>})
     * only with {@link ProxyUsage#OVERRIDE}, which needs at least one proxy.
     */
    JobInfo setProxy(String jobId, ProxyUsage usage, List<String> proxies, List<String> bypass);

    /**
     * Replaces a job's extra HTTP request headers (BITS SetCustomHeaders), each {@code Name: value}; an empty list
     * removes them. Headers jbits sets itself (Range, Host, …) are refused.
     */
    JobInfo setHttpHeaders(String jobId, List<String> headers);

    /** Sets what a download job does with redirects; https→http stays refused unless {@code allowHttpsToHttp}. */
    JobInfo setRedirects(String jobId, Redirects policy, boolean allowHttpsToHttp);

    /** Replaces a job's TLS settings (extra CA file, client certificate, accepted certificate errors). */
    JobInfo setTls(String jobId, TlsOptions tls);

    /** Releases what this manager holds (the engine checkpoints and stops; the client disconnects). */
    @Override
    void close();
}
