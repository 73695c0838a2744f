package io.jbits.store.sqlite;

import io.jbits.spi.FileRow;
import io.jbits.spi.JobStore.Batch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link SqliteJobStoreCrashTest}: writes batches in a loop and prints {@code written N} after
 * each write returns, until it is killed.
 */
final class CrashingWriter {

    static final String PROGRESS_JOB = "progress";
    static final int FILES_PER_JOB = 3;
    private static final int MAX_BATCHES = 100_000;

    private CrashingWriter() {
    }

    public static void main(String[] args) throws IOException {
        try (SqliteJobStore store = SqliteJobStore.open(Path.of(args[0]))) {
            store.write(StoreRows.upsert(List.of(StoreRows.job(PROGRESS_JOB)), List.of(progress(0))));
            for (int n = 1; n <= MAX_BATCHES; n++) {
                String id = jobId(n);
                List<FileRow> files = new ArrayList<>();
                for (int index = 0; index < FILES_PER_JOB; index++) {
                    files.add(StoreRows.file(id, index));
                }
                files.add(progress(n));
                store.write(new Batch(List.of(StoreRows.job(id)), files, List.of()));
                System.out.println("written " + n);
                System.out.flush();
            }
        }
    }

    static String jobId(int n) {
        return "job-" + n;
    }

    /** The checkpoint of the one long-running file: bytes transferred equals the batch number. */
    static FileRow progress(long n) {
        return new FileRow(PROGRESS_JOB, 0, "http://127.0.0.1:8080/big", "/data/big", "/data/.big.jbits-tmp",
                1L << 40, n, false, "\"big\"", null, "{}");
    }
}
