package io.jbits.store.sqlite;

import static io.jbits.store.sqlite.StoreRows.delete;
import static io.jbits.store.sqlite.StoreRows.failedJob;
import static io.jbits.store.sqlite.StoreRows.file;
import static io.jbits.store.sqlite.StoreRows.job;
import static io.jbits.store.sqlite.StoreRows.unknownSizeFile;
import static io.jbits.store.sqlite.StoreRows.upsert;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.JobState;
import io.jbits.spi.FileRow;
import io.jbits.spi.JobRow;
import io.jbits.spi.JobStore.Batch;
import io.jbits.spi.JobStore.StoredJob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

class SqliteJobStoreTest {

    @TempDir
    Path temp;

    private Path dbFile;
    private SqliteJobStore store;

    @BeforeEach
    void openStore() throws IOException {
        dbFile = temp.resolve("state").resolve("jobs.db");
        store = SqliteJobStore.open(dbFile);
    }

    @AfterEach
    void closeStore() throws IOException {
        store.close();
    }

    @Test
    void everyFieldSurvivesARoundTrip() throws IOException {
        JobRow plain = job("a");
        JobRow failed = failedJob("b");
        List<FileRow> files = List.of(file("a", 0), unknownSizeFile("a", 1), file("b", 0));
        store.write(upsert(List.of(plain, failed), files));

        List<StoredJob> loaded = store.loadAll();

        assertEquals(List.of(new StoredJob(plain, files.subList(0, 2)), new StoredJob(failed, files.subList(2, 3))),
                loaded);
        FileRow unknown = loaded.getFirst().files().get(1);
        assertEquals(-1, unknown.bytesTotal());
        assertEquals(null, unknown.etag());
        assertEquals(null, loaded.getFirst().job().error());
        assertEquals(404, loaded.get(1).job().error().httpStatus());
    }

    @Test
    void jobsLoadInCreationOrderAndFilesByIndex() throws IOException {
        JobRow late = failedJob("a");
        JobRow early = job("z");
        JobRow earlyTie = job("m");
        store.write(upsert(List.of(late, early, earlyTie), List.of(file("z", 2), file("z", 0), file("z", 1))));

        List<StoredJob> loaded = store.loadAll();

        assertEquals(List.of("m", "z", "a"), loaded.stream().map(s -> s.job().id()).toList());
        assertEquals(List.of(0, 1, 2), loaded.get(1).files().stream().map(FileRow::index).toList());
    }

    @Test
    void loadEachHandsOverEveryJobOnceWithItsFilesInOneQuery() throws IOException {
        store.write(upsert(List.of(failedJob("a"), job("z"), job("m")),
                List.of(file("z", 2), file("z", 0), file("a", 0), file("z", 1))));
        List<StoredJob> seen = new ArrayList<>();

        store.loadEach(seen::add);

        assertEquals(3, seen.size());
        assertEquals(List.of("a", "m", "z"), seen.stream().map(s -> s.job().id()).sorted().toList());
        for (StoredJob s : seen) {
            List<FileRow> expected = switch (s.job().id()) {
                case "a" -> List.of(file("a", 0));
                case "m" -> List.of(); // no files: handed over once all the same
                default -> List.of(file("z", 0), file("z", 1), file("z", 2));
            };
            assertEquals(expected, s.files());
        }
        assertEquals(store.loadAll().stream().sorted(java.util.Comparator.comparing(x -> x.job().id())).toList(),
                seen.stream().sorted(java.util.Comparator.comparing(x -> x.job().id())).toList());
    }

    @Test
    void aLargeQueueIsReadOnTwoThreadsWithEveryJobOnceAndItsFiles() throws IOException {
        List<JobRow> jobs = new ArrayList<>();
        List<FileRow> files = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            String id = String.format("job-%05d", i);
            jobs.add(i % 1000 == 0 ? failedJob(id) : job(id));
            for (int f = 0; f < i % 3; f++) { // none, one or two files
                files.add(file(id, f));
            }
        }
        store.write(upsert(jobs, files));
        store.write(delete("job-00007")); // a hole in the rowids
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

        List<StoredJob> made = store.loadMapped(s -> {
            threads.add(Thread.currentThread().getName());
            return s;
        });

        assertEquals(2, threads.size(), "read on two threads: " + threads);
        java.util.Comparator<StoredJob> byId = java.util.Comparator.comparing(x -> x.job().id());
        assertEquals(store.loadAll().stream().sorted(byId).toList(), made.stream().sorted(byId).toList());
        assertEquals(11_999, made.stream().map(x -> x.job().id()).distinct().count());
        assertEquals(files.size() - 1, made.stream().mapToInt(x -> x.files().size()).sum()); // job 7 had one file
    }

    @Test
    void aSmallQueueIsReadOnTheCallersThread() throws IOException {
        assertEquals(List.of(), store.loadMapped(s -> s));
        store.write(upsert(List.of(failedJob("a"), job("b")), List.of(file("a", 0), file("b", 0), file("b", 1))));
        List<String> threads = new ArrayList<>();

        List<String> made = store.loadMapped(s -> {
            threads.add(Thread.currentThread().getName());
            return s.job().id() + ":" + s.files().size();
        });

        assertEquals(List.of("a:1", "b:2"), made.stream().sorted().toList());
        assertEquals(List.of(Thread.currentThread().getName(), Thread.currentThread().getName()), threads);
    }

    @Test
    void aFailureWhileMakingALargeQueueIsAReadErrorAndTheStoreStaysUsable() throws IOException {
        List<JobRow> jobs = new ArrayList<>();
        for (int i = 0; i < 11_000; i++) {
            jobs.add(job(String.format("job-%05d", i)));
        }
        store.write(upsert(jobs, List.of()));

        IOException e = assertThrows(IOException.class, () -> store.loadMapped(s -> {
            if (s.job().id().equals("job-10999")) { // read by the second thread
                throw new IllegalArgumentException("no such state");
            }
            return s;
        }));

        assertTrue(e.getMessage().contains("cannot read the job store") && e.getMessage().contains("no such state"),
                e.getMessage());
        assertEquals(11_000, store.loadMapped(s -> s).size());
    }

    @Test
    void upsertUpdatesAJobInPlaceAndKeepsItsFiles() throws IOException {
        store.write(upsert(List.of(job("a")), List.of(file("a", 0), file("a", 1))));
        JobRow queued = withState(job("a"), JobState.QUEUED);
        FileRow progressed = new FileRow("a", 1, "http://127.0.0.1:8080/f1", "/data/f1", "/data/.f1.jbits-tmp",
                2_000, 1_999, true, "\"new\"", null, "{}");

        store.write(upsert(List.of(queued), List.of()));
        store.write(upsert(List.of(), List.of(progressed)));

        StoredJob loaded = store.loadAll().getFirst();
        assertEquals(queued, loaded.job());
        assertEquals(List.of(file("a", 0), progressed), loaded.files());
    }

    @Test
    void deletingAJobRemovesItsFiles() throws IOException {
        store.write(upsert(List.of(job("a"), job("b")), List.of(file("a", 0), file("a", 1), file("b", 0))));

        store.write(delete("a"));
        assertEquals(List.of("b"), store.loadAll().stream().map(s -> s.job().id()).toList());

        store.write(upsert(List.of(job("a")), List.of()));
        assertEquals(List.of(), store.loadAll().stream().filter(s -> s.job().id().equals("a")).findFirst()
                .orElseThrow().files());
    }

    @Test
    void deletionsApplyAfterUpsertsOfTheSameBatch() throws IOException {
        store.write(new Batch(List.of(job("a")), List.of(file("a", 0)), List.of("a")));

        assertEquals(List.of(), store.loadAll());
    }

    @Test
    void twoThousandFileRowsGoInOneBatch() throws IOException {
        List<FileRow> files = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            files.add(file("many", i));
        }

        store.write(upsert(List.of(job("many")), files));

        assertEquals(files, store.loadAll().getFirst().files());
    }

    @Test
    void aFailedWriteLeavesNothingHalfWritten() throws IOException {
        store.write(upsert(List.of(job("a")), List.of(file("a", 0))));
        // The file of an unknown job breaks the foreign key after the job row of the same batch was written.
        Batch broken = upsert(List.of(withState(job("a"), JobState.QUEUED), job("b")), List.of(file("ghost", 0)));

        IOException failure = assertThrows(IOException.class, () -> store.write(broken));

        assertTrue(failure.getMessage().contains(dbFile.getFileName().toString()), failure.getMessage());
        assertEquals(List.of(new StoredJob(job("a"), List.of(file("a", 0)))), store.loadAll());
        store.write(upsert(List.of(job("c")), List.of()));
        assertEquals(2, store.loadAll().size());
    }

    @Test
    void anEmptyBatchChangesNothing() throws IOException {
        store.write(upsert(List.of(job("a")), List.of()));

        store.write(new Batch(List.of(), List.of(), List.of()));

        assertEquals(1, store.loadAll().size());
    }

    @Test
    void reopeningAfterCloseKeepsEverything() throws IOException {
        store.write(upsert(List.of(job("a"), failedJob("b")), List.of(file("a", 0), unknownSizeFile("b", 0))));
        List<StoredJob> before = store.loadAll();
        store.close();

        store = SqliteJobStore.open(dbFile);

        assertEquals(before, store.loadAll());
    }

    @Test
    void theDatabaseIsReadableByItsOwnerOnly() throws IOException {
        store.write(upsert(List.of(job("a")), List.of()));

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dbFile)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dbFile.getParent())));
        Path wal = dbFile.resolveSibling("jobs.db-wal");
        assertTrue(Files.exists(wal), "WAL mode keeps a -wal file while open");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(wal)));
    }

    @Test
    void aGarbageFileIsRefusedWithAMessageNamingIt() throws IOException {
        Path garbage = temp.resolve("garbage.db");
        byte[] bytes = new byte[8192];
        new Random(42).nextBytes(bytes);
        Files.write(garbage, bytes);

        IOException failure = assertThrows(DamagedStoreException.class, () -> SqliteJobStore.open(garbage));

        assertTrue(failure.getMessage().startsWith(garbage + " is not a jbits state database, or is damaged ("),
                failure.getMessage());
        assertTrue(failure.getMessage().endsWith("); nothing was changed in it"), failure.getMessage());
    }

    @Test
    void anotherApplicationsDatabaseIsRefusedAndLeftAlone() throws Exception {
        Path foreign = temp.resolve("other.db");
        try (var connection = new SQLiteConfig().createConnection("jdbc:sqlite:" + foreign);
             var statement = connection.createStatement()) {
            statement.executeUpdate("CREATE TABLE notes (text TEXT)");
        }
        byte[] before = Files.readAllBytes(foreign);

        IOException failure = assertThrows(DamagedStoreException.class, () -> SqliteJobStore.open(foreign));

        assertTrue(failure.getMessage().startsWith(foreign + " is not a jbits state database"), failure.getMessage());
        assertArrayEquals(before, Files.readAllBytes(foreign), "the foreign database was changed");
    }

    @Test
    void aDamagedJbitsDatabaseIsRefusedWithTheSameMessage() throws IOException {
        List<FileRow> files = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            files.add(file("many", i));
        }
        store.write(upsert(List.of(job("many")), files));
        store.close();
        try (var channel = FileChannel.open(dbFile, StandardOpenOption.WRITE)) {
            byte[] junk = new byte[3 * 4096];
            new Random(7).nextBytes(junk);
            channel.write(ByteBuffer.wrap(junk), 4096);
        }

        IOException failure = assertThrows(DamagedStoreException.class, () -> SqliteJobStore.open(dbFile));

        assertTrue(failure.getMessage().startsWith(dbFile + " is not a jbits state database, or is damaged"),
                failure.getMessage());
        store = SqliteJobStore.open(temp.resolve("fresh.db"));
    }

    @Test
    void writesFromManyThreadsAllLand() throws Exception {
        int threads = 8;
        int batchesPerThread = 25;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(executor.submit(() -> {
                    for (int b = 0; b < batchesPerThread; b++) {
                        String id = "t" + thread + "-" + b;
                        store.write(upsert(List.of(job(id)), List.of(file(id, 0), file(id, 1))));
                    }
                    return null;
                }));
            }
            for (var future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        }

        List<StoredJob> loaded = store.loadAll();
        assertEquals(threads * batchesPerThread, loaded.size());
        assertTrue(loaded.stream().allMatch(s -> s.files().size() == 2));
    }

    @Test
    void aClosedStoreRefusesWrites() throws IOException {
        store.close();

        assertThrows(IOException.class, () -> store.write(upsert(List.of(job("a")), List.of())));
    }

    private static JobRow withState(JobRow job, JobState state) {
        return new JobRow(job.id(), job.name(), job.description(), job.type(), job.priority(), job.owner(), state,
                job.created(), job.modified().plusSeconds(1), job.transferCompleted(), job.minRetryDelay(),
                job.noProgressTimeout(), job.errorCount(), job.error(), job.options());
    }
}
