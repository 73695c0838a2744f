package io.jbits.api;

import java.util.List;

/**
 * The queue of transfer jobs of one owner: create jobs, add files, drive them through their states, read them.
 *
 * <p>Two implementations share this contract: the engine embedded in the caller's process, and the client of the
 * user's service. Every method that names a job accepts its full id or a unique prefix of it, and throws
 * {@link JbitsException} with {@link BitsCodes#BG_E_NOT_FOUND} for an unknown job and
 * {@link BitsCodes#BG_E_INVALID_STATE} for a call the job's state does not allow.
 */
public interface TransferManager extends AutoCloseable {

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

    /** The job with this id or unique id prefix. */
    JobInfo job(String jobId);

    /** The owner's jobs, oldest first; final jobs (ACKNOWLEDGED, CANCELLED) only when asked for. */
    List<JobInfo> jobs(boolean includeFinal);

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

    /** Releases what this manager holds (the engine checkpoints and stops; the client disconnects). */
    @Override
    void close();
}
