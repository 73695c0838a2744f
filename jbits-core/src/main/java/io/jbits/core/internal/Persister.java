package io.jbits.core.internal;

import io.jbits.spi.FileRow;
import io.jbits.spi.JobRow;
import io.jbits.spi.JobStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Collects the jobs and files that changed and writes them to the store in batches: one durable transaction for
 * everything that changed since the last flush, so per-file bookkeeping of many small files costs one commit, not
 * one each.
 *
 * <p>Rows are built at flush time from the live models, under the engine's lock, and flushes are serialized: a
 * later flush always writes a newer picture than an earlier one.
 */
public final class Persister {
    private final JobStore store;
    private final Object engineLock;
    private final Object flushLock = new Object();
    private final Set<JobModel> jobs = ConcurrentHashMap.newKeySet();
    private final Set<FileModel> files = ConcurrentHashMap.newKeySet();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();

    public Persister(JobStore store, Object engineLock) {
        this.store = store;
        this.engineLock = engineLock;
    }

    /** Marks a job (its row, not its files) as changed. */
    public void job(JobModel job) {
        jobs.add(job);
    }

    /** Marks one file as changed. */
    public void file(FileModel file) {
        files.add(file);
    }

    /** Marks a job and all its files as changed. */
    public void jobAndFiles(JobModel job) {
        jobs.add(job);
        files.addAll(job.files);
    }

    /** Marks a job for deletion with its files. */
    public void delete(String jobId) {
        deleted.add(jobId);
    }

    /** True when something waits to be written. */
    public boolean dirty() {
        return !jobs.isEmpty() || !files.isEmpty() || !deleted.isEmpty();
    }

    /** Writes everything marked so far in one durable transaction. On failure the marks stay for the next try. */
    public void flush() throws IOException {
        synchronized (flushLock) {
            if (!dirty()) {
                return;
            }
            List<JobModel> jobModels;
            List<FileModel> fileModels;
            List<String> gone;
            List<JobRow> jobRows = new ArrayList<>();
            List<FileRow> fileRows = new ArrayList<>();
            synchronized (engineLock) {
                jobModels = drain(jobs);
                fileModels = drain(files);
                gone = drain(deleted);
                for (JobModel j : jobModels) {
                    jobRows.add(j.toRow());
                }
                for (FileModel f : fileModels) {
                    fileRows.add(f.toRow());
                }
            }
            try {
                store.write(new JobStore.Batch(jobRows, fileRows, gone));
            } catch (IOException | RuntimeException e) {
                jobs.addAll(jobModels);
                files.addAll(fileModels);
                deleted.addAll(gone);
                throw e;
            }
        }
    }

    private static <T> List<T> drain(Set<T> set) {
        List<T> out = new ArrayList<>(set);
        set.removeAll(out);
        return out;
    }
}
