package io.jbits.core;

import io.jbits.spi.FileRow;
import io.jbits.spi.JobRow;
import io.jbits.spi.JobStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A JobStore in memory, for the engine's unit tests: same contract, no durability across JVMs. */
final class MemoryStore implements JobStore {
    private final Map<String, JobRow> jobs = new LinkedHashMap<>();
    private final Map<String, TreeMap<Integer, FileRow>> files = new LinkedHashMap<>();
    int writes;

    @Override
    public synchronized List<StoredJob> loadAll() {
        List<StoredJob> out = new ArrayList<>();
        List<JobRow> rows = new ArrayList<>(jobs.values());
        rows.sort(Comparator.comparing(JobRow::created).thenComparing(JobRow::id));
        for (JobRow j : rows) {
            out.add(new StoredJob(j, new ArrayList<>(files.getOrDefault(j.id(), new TreeMap<>()).values())));
        }
        return out;
    }

    @Override
    public synchronized void write(Batch batch) {
        writes++;
        for (JobRow j : batch.jobs()) {
            jobs.put(j.id(), j);
        }
        for (FileRow f : batch.files()) {
            files.computeIfAbsent(f.jobId(), k -> new TreeMap<>()).put(f.index(), f);
        }
        for (String id : batch.deletedJobIds()) {
            jobs.remove(id);
            files.remove(id);
        }
    }

    synchronized FileRow file(String jobId, int index) {
        return files.get(jobId).get(index);
    }

    @Override
    public void close() {
    }
}
