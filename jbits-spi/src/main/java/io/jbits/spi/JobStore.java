package io.jbits.spi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where jobs live between runs of the service. Implementations make every {@link #write} durable before it
 * returns (the SQLite store: WAL with full sync), so a crash after a write never loses it.
 */
public interface JobStore extends AutoCloseable {

    /** Every stored job with its files, jobs in creation order, files by index. */
    List<StoredJob> loadAll() throws IOException;

    /**
     * Hands every stored job with its files (by index) to {@code each}, one at a time and in no particular order,
     * so a large queue is never held twice: once as rows and once as what the caller makes of them. The default
     * goes through {@link #loadAll}.
     */
    default void loadEach(Consumer<StoredJob> each) throws IOException {
        for (StoredJob s : loadAll()) {
            each.accept(s);
        }
    }

    /**
     * Every stored job with its files (by index), each made into what the caller keeps, in no particular order. A
     * store may call {@code make} on several threads at once, so it must be safe for that; the SQLite store does so
     * for a large queue. The default goes through {@link #loadEach}, one job at a time.
     */
    default <T> List<T> loadMapped(Function<StoredJob, T> make) throws IOException {
        List<T> made = new ArrayList<>();
        loadEach(s -> made.add(make.apply(s)));
        return made;
    }

    /** Applies one batch in a single durable transaction. */
    void write(Batch batch) throws IOException;

    @Override
    void close() throws IOException;

    /** A job and its files, as loaded. */
    record StoredJob(JobRow job, List<FileRow> files) {
        public StoredJob {
            files = List.copyOf(files);
        }
    }

    /**
     * Rows to insert or replace (jobs by id, files by job id and index) and jobs to delete with their files.
     * Deletions apply last.
     */
    record Batch(Collection<JobRow> jobs, Collection<FileRow> files, Collection<String> deletedJobIds) {
        public Batch {
            jobs = List.copyOf(jobs);
            files = List.copyOf(files);
            deletedJobIds = List.copyOf(deletedJobIds);
        }

        public boolean isEmpty() {
            return jobs.isEmpty() && files.isEmpty() && deletedJobIds.isEmpty();
        }
    }
}
