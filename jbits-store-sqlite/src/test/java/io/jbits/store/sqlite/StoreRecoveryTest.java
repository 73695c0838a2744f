package io.jbits.store.sqlite;

import static io.jbits.store.sqlite.StoreRows.file;
import static io.jbits.store.sqlite.StoreRows.job;
import static io.jbits.store.sqlite.StoreRows.upsert;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.spi.FileRow;
import io.jbits.spi.JobRow;
import io.jbits.spi.JobStore.StoredJob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/** {@link SqliteJobStore#recover}: the old file kept byte for byte, readable rows salvaged, nothing invented. */
class StoreRecoveryTest {
    private static final int JOBS = 300;
    private static final int FILES_PER_JOB = 4;

    @TempDir
    Path temp;
    private Path dbFile;
    private final Map<String, StoredJob> written = new HashMap<>();

    @BeforeEach
    void writeJobs() throws IOException {
        dbFile = temp.resolve("jobs.db");
        try (SqliteJobStore store = SqliteJobStore.open(dbFile)) {
            for (int j = 0; j < JOBS; j++) {
                JobRow job = job("job-" + j);
                List<FileRow> files = new ArrayList<>();
                for (int f = 0; f < FILES_PER_JOB; f++) {
                    files.add(file(job.id(), f));
                }
                store.write(upsert(List.of(job), files));
                written.put(job.id(), new StoredJob(job, files));
            }
        }
    }

    @Test
    void aHealthyDatabaseIsLeftAlone() throws IOException {
        byte[] before = Files.readAllBytes(dbFile);

        StoreRecovery recovery = SqliteJobStore.recover(dbFile);

        assertFalse(recovery.movedAside());
        assertEquals("healthy", recovery.finding());
        assertArrayEquals(before, Files.readAllBytes(dbFile));
    }

    @Test
    void damagedPagesAreSkippedAndEveryOtherRowIsSalvaged() throws IOException {
        overwrite(dbFile, 40 * 4096, 6 * 4096, 7);
        byte[] damaged = Files.readAllBytes(dbFile);

        StoreRecovery recovery = SqliteJobStore.recover(dbFile);

        assertKept(recovery, damaged);
        List<StoredJob> salvaged = load(dbFile);
        assertEquals(recovery.jobsSalvaged(), salvaged.size());
        assertTrue(salvaged.size() > JOBS / 2, "most jobs salvaged: " + recovery);
        assertTrue(recovery.filesSalvaged() < JOBS * FILES_PER_JOB || salvaged.size() < JOBS,
                "six damaged pages of " + damaged.length / 4096 + " lose something: " + recovery);
        assertSalvagedRowsAreTheWrittenOnes(salvaged);
    }

    @Test
    void aTruncatedDatabaseGivesBackTheRowsBeforeTheCut() throws IOException {
        long size = Files.size(dbFile);
        try (FileChannel channel = FileChannel.open(dbFile, StandardOpenOption.WRITE)) {
            channel.truncate(size / 2);
        }
        byte[] truncated = Files.readAllBytes(dbFile);

        StoreRecovery recovery = SqliteJobStore.recover(dbFile);

        assertKept(recovery, truncated);
        List<StoredJob> salvaged = load(dbFile);
        assertTrue(salvaged.size() > 0, "the rows before the cut are salvaged: " + recovery);
        assertEquals(recovery.jobsSalvaged(), salvaged.size());
        assertSalvagedRowsAreTheWrittenOnes(salvaged);
    }

    @Test
    void aCutInTheMiddleOfAPageSalvagesNoHalfRow() throws IOException {
        long size = Files.size(dbFile);
        try (FileChannel channel = FileChannel.open(dbFile, StandardOpenOption.WRITE)) {
            channel.truncate(size / 2 + 1_234); // the last page reads back with zeros where its end was
        }

        StoreRecovery recovery = SqliteJobStore.recover(dbFile);

        List<StoredJob> salvaged = load(dbFile);
        assertTrue(salvaged.size() > 0, recovery.toString());
        assertSalvagedRowsAreTheWrittenOnes(salvaged);
    }

    @Test
    void garbageIsKeptAndTheNewDatabaseStartsEmpty() throws IOException {
        overwrite(dbFile, 0, (int) Files.size(dbFile), 8);
        byte[] garbage = Files.readAllBytes(dbFile);

        StoreRecovery recovery = SqliteJobStore.recover(dbFile);

        assertKept(recovery, garbage);
        assertEquals(0, recovery.jobsSalvaged());
        assertEquals(List.of(), load(dbFile));
    }

    @Test
    void anotherApplicationsDatabaseIsKeptWholeAndNothingIsTakenFromIt() throws Exception {
        Files.delete(dbFile);
        try (var connection = new SQLiteConfig().createConnection("jdbc:sqlite:" + dbFile);
             var statement = connection.createStatement()) {
            statement.executeUpdate("CREATE TABLE jobs (id TEXT, state TEXT)");
            statement.executeUpdate("INSERT INTO jobs VALUES ('x', 'QUEUED')");
        }
        byte[] foreign = Files.readAllBytes(dbFile);

        StoreRecovery recovery = SqliteJobStore.recover(dbFile);

        assertKept(recovery, foreign);
        assertTrue(recovery.finding().contains("not a jbits database"), recovery.finding());
        assertEquals(0, recovery.jobsSalvaged());
        assertEquals(List.of(), load(dbFile));
    }

    @Test
    void aMissingDatabaseIsNotCreated() throws IOException {
        Path none = temp.resolve("none.db");

        StoreRecovery recovery = SqliteJobStore.recover(none);

        assertNull(recovery.keptAs());
        assertFalse(Files.exists(none));
    }

    private void assertKept(StoreRecovery recovery, byte[] bytes) throws IOException {
        assertTrue(recovery.movedAside(), recovery.toString());
        assertTrue(recovery.keptAs().getFileName().toString().startsWith("jobs.db.broken-"), recovery.toString());
        assertArrayEquals(bytes, Files.readAllBytes(recovery.keptAs()), "the old file is kept byte for byte");
        try (Stream<Path> left = Files.list(temp)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(".salvage")).toList(),
                    "the working copy is gone");
        }
    }

    private void assertSalvagedRowsAreTheWrittenOnes(List<StoredJob> salvaged) {
        for (StoredJob job : salvaged) {
            StoredJob original = written.get(job.job().id());
            assertEquals(original.job(), job.job(), "a salvaged job is the job written");
            assertTrue(original.files().containsAll(job.files()), "salvaged files are files written: " + job);
        }
    }

    private static List<StoredJob> load(Path file) throws IOException {
        try (SqliteJobStore store = SqliteJobStore.open(file)) {
            return store.loadAll();
        }
    }

    private static void overwrite(Path file, long offset, int length, long seed) throws IOException {
        byte[] junk = new byte[length];
        new Random(seed).nextBytes(junk);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(junk), offset);
        }
    }
}
