package io.jbits.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.Priority;
import io.jbits.spi.FileRow;
import io.jbits.spi.JobRow;
import io.jbits.spi.JobStore;
import io.jbits.store.sqlite.SqliteJobStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A damaged state database: the service refuses it with a message saying what to do, {@code jbits service recover}
 * moves it aside (keeping every byte) and the service starts again with the jobs that could still be read, never
 * with a job that was not there.
 */
class CorruptDatabaseTest extends EndToEnd {
    private static final int JOBS = 300;

    @Test
    void garbageOverTheDatabaseIsRefusedThenRecoveredEmptyKeepingTheOldFile() throws Exception {
        Set<String> names = storedJobs();
        Path db = cli.home().resolve("jobs.db");
        byte[] garbage = new byte[(int) Files.size(db)];
        new Random(3).nextBytes(garbage);
        Files.write(db, garbage);

        assertRefused();
        String report = cli.ok("service", "recover");
        assertKept(report, garbage);
        assertTrue(report.contains("salvaged 0 jobs"), report);
        assertEquals(0, cli.list().size(), "a new, empty queue");
        assertEquals(JOBS, names.size());
    }

    @Test
    void aTruncatedDatabaseIsRecoveredWithTheJobsBeforeTheCut() throws Exception {
        Set<String> names = storedJobs();
        Path db = cli.home().resolve("jobs.db");
        try (FileChannel channel = FileChannel.open(db, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / 2);
        }
        byte[] truncated = Files.readAllBytes(db);

        assertRefused();
        String report = cli.ok("service", "recover");
        assertKept(report, truncated);
        JsonNode jobs = cli.list();
        assertTrue(jobs.size() > 0, "the jobs before the cut are salvaged: " + report);
        for (JsonNode job : jobs) {
            assertTrue(names.contains(job.path("name").asText()), "a salvaged job was in the queue: " + job);
            assertEquals("SUSPENDED", state(job));
        }
        assertTrue(report.contains("salvaged " + jobs.size() + " jobs"), report);
    }

    @Test
    void anotherApplicationsDatabaseIsRefusedAndKeptWhole() throws Exception {
        Path db = cli.home().resolve("jobs.db");
        Files.createDirectories(cli.home());
        try (var connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             var statement = connection.createStatement()) {
            statement.executeUpdate("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)");
            statement.executeUpdate("INSERT INTO photos (path) VALUES ('/home/me/cat.jpg')");
        }
        byte[] foreign = Files.readAllBytes(db);

        assertRefused();
        assertArrayEquals(foreign, Files.readAllBytes(db), "the refused file is untouched");
        String report = cli.ok("service", "recover");
        assertKept(report, foreign);
        assertTrue(report.contains("not a jbits database"), report);
        assertEquals(0, cli.list().size());
    }

    @Test
    void aHealthyDatabaseIsNotTouchedAndARunningServiceIsNotRecovered() throws Exception {
        storedJobs();
        Path db = cli.home().resolve("jobs.db");
        byte[] before = Files.readAllBytes(db);
        assertEquals("nothing to recover: healthy", cli.ok("service", "recover"));
        assertArrayEquals(before, Files.readAllBytes(db));

        cli.ok("service", "start");
        Os.Result running = cli.run("service", "recover");
        assertEquals(1, running.exitCode(), running.toString());
        assertTrue(running.stderr().contains("nothing to recover"), running.stderr());
        assertEquals(JOBS, cli.list().size());
    }

    /** Writes JOBS suspended jobs straight into the store, checks the service lists them, stops it: their names. */
    private Set<String> storedJobs() throws IOException {
        Set<String> names = new HashSet<>();
        Path db = cli.home().resolve("jobs.db");
        Instant now = Instant.now();
        List<JobRow> jobs = new ArrayList<>();
        List<FileRow> files = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            String id = UUID.randomUUID().toString();
            String name = "stored job " + i;
            names.add(name);
            jobs.add(new JobRow(id, name, "", JobType.DOWNLOAD, Priority.NORMAL, System.getProperty("user.name"),
                    JobState.SUSPENDED, now.plusMillis(i), now.plusMillis(i), null, Duration.ofMinutes(10),
                    Duration.ofDays(14), 0, null, "{}"));
            for (int f = 0; f < 2; f++) {
                String local = dest.resolve(i + "-" + f).toString();
                files.add(new FileRow(id, f, "http://127.0.0.1:9/f" + f, local,
                        local + ".jbits-" + id.substring(0, 8) + ".part", -1, 0, false, null, null, "{}"));
            }
        }
        try (SqliteJobStore store = SqliteJobStore.open(db)) {
            store.write(new JobStore.Batch(jobs, files, List.of()));
        }
        assertEquals(JOBS, cli.list().size(), "the service lists the stored jobs");
        cli.ok("service", "stop");
        return names;
    }

    private void assertRefused() {
        Os.Result refused = cli.run("list");
        assertEquals(3, refused.exitCode(), refused.toString());
        assertTrue(refused.stderr().contains("is not a jbits state database, or is damaged"), refused.stderr());
        assertTrue(refused.stderr().contains("'jbits service recover' moves it aside (keeping it)"),
                refused.stderr());
    }

    /** The report names the kept file, which holds exactly the refused bytes. */
    private void assertKept(String report, byte[] bytes) throws IOException {
        try (Stream<Path> files = Files.list(cli.home())) {
            List<Path> kept = files.filter(p -> p.getFileName().toString().startsWith("jobs.db.broken-")
                    && !p.getFileName().toString().endsWith("-wal") && !p.getFileName().toString().endsWith("-shm"))
                    .toList();
            assertEquals(1, kept.size(), "one kept file: " + kept);
            assertTrue(report.contains("kept as " + kept.getFirst()), report);
            assertArrayEquals(bytes, Files.readAllBytes(kept.getFirst()), "the kept file holds the refused bytes");
        }
    }
}
