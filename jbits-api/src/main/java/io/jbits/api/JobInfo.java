package io.jbits.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one job: its properties, state, progress, error and files.
 *
 * @param bytesTotal sum of the files' sizes, or -1 while any size is unknown
 * @param transferCompleted when the job reached TRANSFERRED, or null
 * @param error the current error, or null
 * @param bytesPerSecond the current transfer rate, 0 when idle
 * @param replyFile for upload-reply jobs, where the server application's reply goes; null for other jobs
 * @param replyBytesTotal the reply's size; -1 while unknown (the upload is not done), 0 for other jobs
 * @param replyBytesTransferred reply bytes received so far
 * @param options the job's options beyond the BITS properties (rate limit, proxy, credential targets and users,
 *     notification command, …) by dotted name; secrets never appear here
 * @param heldBack why a running job goes slower than it could (a rate cap, the schedule, competing traffic), or
 *     null when nothing holds it back
 */
public record JobInfo(String id, String name, String description, JobType type, JobState state, Priority priority,
                      String owner, long bytesTotal, long bytesTransferred, int filesTotal, int filesTransferred,
                      Instant created, Instant modified, Instant transferCompleted, Duration minRetryDelay,
                      Duration noProgressTimeout, int errorCount, JobError error, long bytesPerSecond,
                      List<FileInfo> files, String replyFile, long replyBytesTotal, long replyBytesTransferred,
                      Map<String, Object> options, String heldBack) {
    public JobInfo {
        files = List.copyOf(files);
        options = options == null || options.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** A job without options and not held back. */
    public JobInfo(String id, String name, String description, JobType type, JobState state, Priority priority,
                   String owner, long bytesTotal, long bytesTransferred, int filesTotal, int filesTransferred,
                   Instant created, Instant modified, Instant transferCompleted, Duration minRetryDelay,
                   Duration noProgressTimeout, int errorCount, JobError error, long bytesPerSecond,
                   List<FileInfo> files, String replyFile, long replyBytesTotal, long replyBytesTransferred) {
        this(id, name, description, type, state, priority, owner, bytesTotal, bytesTransferred, filesTotal,
                filesTransferred, created, modified, transferCompleted, minRetryDelay, noProgressTimeout, errorCount,
                error, bytesPerSecond, files, replyFile, replyBytesTotal, replyBytesTransferred, Map.of(), null);
    }

    /** A job without a reply (download and upload jobs). */
    public JobInfo(String id, String name, String description, JobType type, JobState state, Priority priority,
                   String owner, long bytesTotal, long bytesTransferred, int filesTotal, int filesTransferred,
                   Instant created, Instant modified, Instant transferCompleted, Duration minRetryDelay,
                   Duration noProgressTimeout, int errorCount, JobError error, long bytesPerSecond,
                   List<FileInfo> files) {
        this(id, name, description, type, state, priority, owner, bytesTotal, bytesTransferred, filesTotal,
                filesTransferred, created, modified, transferCompleted, minRetryDelay, noProgressTimeout, errorCount,
                error, bytesPerSecond, files, null, 0, 0);
    }

    /** This snapshot without its file list ({@link #filesTotal} and {@link #filesTransferred} stay). */
    public JobInfo withoutFiles() {
        return new JobInfo(id, name, description, type, state, priority, owner, bytesTotal, bytesTransferred,
                filesTotal, filesTransferred, created, modified, transferCompleted, minRetryDelay, noProgressTimeout,
                errorCount, error, bytesPerSecond, List.of(), replyFile, replyBytesTotal, replyBytesTransferred, options,
                heldBack);
    }
}
