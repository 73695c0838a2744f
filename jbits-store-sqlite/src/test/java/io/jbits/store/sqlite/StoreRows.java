package io.jbits.store.sqlite;

import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.Priority;
import io.jbits.spi.FileRow;
import io.jbits.spi.JobRow;
import io.jbits.spi.JobStore.Batch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Sample rows for the store tests; instants are whole milliseconds, as the store keeps them. */
final class StoreRows {

    static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123Z");

    private StoreRows() {
    }

    static JobRow job(String id) {
        return new JobRow(id, "name of " + id, "description of " + id, JobType.DOWNLOAD, Priority.NORMAL, "alice",
                JobState.SUSPENDED, T0, T0.plusMillis(5), null, Duration.ofSeconds(600), Duration.ofDays(14), 0,
                null, "{}");
    }

    static JobRow failedJob(String id) {
        JobError error = new JobError(0x80190194, ErrorContext.REMOTE_FILE, "404 Not Found", 404, 1, false);
        return new JobRow(id, "failing", null, JobType.DOWNLOAD, Priority.FOREGROUND, "bob", JobState.ERROR,
                T0.plusSeconds(1), T0.plusSeconds(2), T0.plusSeconds(3), Duration.ofMillis(1_500),
                Duration.ofMinutes(7), 3, error, "{\"proxy\":\"none\"}");
    }

    static FileRow file(String jobId, int index) {
        return new FileRow(jobId, index, "http://127.0.0.1:8080/f" + index, "/data/f" + index,
                "/data/.f" + index + ".jbits-tmp", 1_000_000L + index, 4096L * index, false, "\"etag-" + index + "\"",
                "Sat, 01 Mar 2025 10:15:30 GMT", "{}");
    }

    static FileRow unknownSizeFile(String jobId, int index) {
        return new FileRow(jobId, index, "http://127.0.0.1:8080/stream", "/data/stream", null, -1, 0, false, null,
                null, "{\"session\":\"abc\"}");
    }

    static Batch upsert(List<JobRow> jobs, List<FileRow> files) {
        return new Batch(jobs, files, List.of());
    }

    static Batch delete(String... jobIds) {
        return new Batch(List.of(), List.of(), List.of(jobIds));
    }
}
