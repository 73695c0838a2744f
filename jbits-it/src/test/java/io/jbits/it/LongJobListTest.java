package io.jbits.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.Priority;
import io.jbits.client.ServiceClient;
import io.jbits.spi.FileRow;
import io.jbits.spi.JobRow;
import io.jbits.spi.JobStore;
import io.jbits.store.sqlite.SqliteJobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A queue of thousands of jobs through the real service and CLI: {@code jbits list} streams the list, and what it
 * prints is every job, in order, as one valid JSON array (or one table row each).
 */
class LongJobListTest extends EndToEnd {
    private static final int JOBS = 5_000;

    @Test
    void everyJobIsListedOnceInOrderAsValidJson() throws Exception {
        List<String> ids = storeJobs();

        JsonNode listed = cli.list();
        assertEquals(JOBS, listed.size());
        for (int i = 0; i < JOBS; i++) {
            JsonNode job = listed.get(i);
            assertEquals(ids.get(i), job.get("id").asText(), "job " + i);
            assertEquals("job " + i + " \"quoted\" ü", job.get("name").asText());
            assertEquals("SUSPENDED", job.get("state").asText());
            assertEquals(1, job.get("filesTotal").asInt());
            assertTrue(job.get("files").isEmpty(), "list leaves the files to info");
            assertEquals(25, job.size(), "every field of a job: " + job);
        }
        assertEquals(JOBS, cli.listAll().size());

        String table = cli.ok("list");
        List<String> rows = table.lines().toList();
        assertEquals(JOBS + 1, rows.size(), "a header and a row per job");
        assertTrue(rows.get(1).startsWith(ids.getFirst()), rows.get(1));
        assertTrue(rows.getLast().startsWith(ids.getLast()), rows.getLast());

        try (ServiceClient client = ServiceClient.connect(cli.home().resolve("jbits.sock"))) {
            List<JobInfo> withFiles = client.jobs(false);
            assertEquals(ids, withFiles.stream().map(JobInfo::id).toList());
            assertTrue(withFiles.stream().allMatch(j -> j.files().size() == 1
                    && j.files().getFirst().remoteUrl().endsWith("/f" + j.name().split(" ")[1])), "files listed");
        }
    }

    /** Writes JOBS suspended jobs of one file each into the stopped service's store; their ids, oldest first. */
    private List<String> storeJobs() throws Exception {
        Instant start = Instant.now().minusSeconds(JOBS);
        List<JobRow> jobs = new ArrayList<>();
        List<FileRow> files = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            Instant created = start.plusSeconds(i);
            jobs.add(new JobRow(id, "job " + i + " \"quoted\" ü", "", JobType.DOWNLOAD, Priority.NORMAL,
                    System.getProperty("user.name"), JobState.SUSPENDED, created, created, null,
                    Duration.ofMinutes(10), Duration.ofDays(14), 0, null, "{}"));
            String local = dest.resolve("f" + i).toString();
            files.add(new FileRow(id, 0, "http://127.0.0.1:9/f" + i, local,
                    local + ".jbits-" + id.substring(0, 8) + ".part", -1, 0, false, null, null, "{}"));
        }
        java.nio.file.Files.createDirectories(cli.home());
        try (SqliteJobStore store = SqliteJobStore.open(cli.home().resolve("jobs.db"))) {
            store.write(new JobStore.Batch(jobs, files, List.of()));
        }
        return ids;
    }
}
