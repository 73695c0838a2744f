package io.jbits.api;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Describes a download job and starts it: {@code jobs.download("update").file(url, path).start()}. The job is
 * created, its files added and listeners registered before it is resumed, so no event is missed; when adding the
 * files fails, the job is cancelled and the failure thrown.
 *
 * @since 0.1
 */
public final class DownloadBuilder {
    private final TransferManager jobs;
    private final String name;
    private final List<NewFile> files = new ArrayList<>();
    private final List<JobListener> listeners = new ArrayList<>();
    private Priority priority = Priority.NORMAL;
    private String description = "";

    DownloadBuilder(TransferManager jobs, String name) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Adds a file: the remote URL and the local path, made absolute against the working directory. */
    public DownloadBuilder file(String remoteUrl, Path localPath) {
        files.add(new NewFile(remoteUrl, localPath.toAbsolutePath().toString()));
        return this;
    }

    /** Adds a file: the remote URI and the local path, made absolute against the working directory. */
    public DownloadBuilder file(URI remote, Path localPath) {
        return file(remote.toString(), localPath);
    }

    /** The job's priority; NORMAL unless set. */
    public DownloadBuilder priority(Priority p) {
        this.priority = Objects.requireNonNull(p, "priority");
        return this;
    }

    /** The job's description; empty unless set. */
    public DownloadBuilder description(String d) {
        this.description = Objects.requireNonNull(d, "description");
        return this;
    }

    /** A listener registered for the job before it starts, with progress at most every 500 ms. */
    public DownloadBuilder listener(JobListener l) {
        listeners.add(Objects.requireNonNull(l, "listener"));
        return this;
    }

    /** Creates the job, adds the files and listeners, queues it, and returns it as it is then. */
    public JobInfo start() {
        if (files.isEmpty()) {
            throw JbitsException.invalidArgument("job '" + name + "' has no files: call file(url, path) first");
        }
        JobInfo job = jobs.create(new NewJob(name, JobType.DOWNLOAD, priority, description));
        try {
            jobs.addFiles(job.id(), files);
            for (JobListener l : listeners) {
                jobs.addListener(job.id(), l);
            }
            return jobs.resume(job.id());
        } catch (RuntimeException e) {
            try {
                jobs.cancel(job.id());
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
