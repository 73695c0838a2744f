package io.jbits.core;

import io.jbits.spi.FileRow;
import io.jbits.spi.JobStore;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JbitsException;
import io.jbits.api.JobChanges;
import io.jbits.api.JobError;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.NewJob;
import io.jbits.api.Priority;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's decisions over a scripted in-memory transport and store; real nginx runs in jbits-it. */
class EngineTest {
    @TempDir
    Path dir;
    final MemoryStore store = new MemoryStore();
    final ScriptedTransport transport = new ScriptedTransport();
    Engine engine;

    Engine start() throws IOException {
        return start(false);
    }

    Engine start(boolean trustUnsyncedBytes) throws IOException {
        engine = Engine.start(EngineConfig.builder(store, "alice").transports(List.of(transport))
                .filesInParallel(4).checkpointInterval(Duration.ofMillis(50)).trustUnsyncedBytes(trustUnsyncedBytes)
                .build());
        return engine;
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    JobInfo awaitState(String id, JobState state) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> engine.job(id).state() == state);
        return engine.job(id);
    }

    String job(String name, Priority p, String... urls) {
        String id = engine.create(NewJob.download(name).withPriority(p)).id();
        for (int i = 0; i < urls.length; i++) {
            engine.addFile(id, urls[i], dir.resolve("f" + name + i).toString());
        }
        return id;
    }

    @Test
    void downloadsEveryFileAndPublishesThemOnlyOnComplete() throws Exception {
        start();
        byte[] a = bytes(3 << 20, 1);
        byte[] b = bytes(10, 2);
        transport.put("mem://h/a", a, "\"a\"");
        transport.put("mem://h/b", b, "\"b\"");
        transport.put("mem://h/empty", new byte[0], "\"e\"");
        String id = job("x", Priority.FOREGROUND, "mem://h/a", "mem://h/b", "mem://h/empty");
        assertEquals(JobState.SUSPENDED, engine.job(id).state());
        engine.resume(id);
        JobInfo done = awaitState(id, JobState.TRANSFERRED);
        assertEquals(3, done.filesTransferred());
        assertEquals(a.length + b.length, done.bytesTotal());
        assertFalse(Files.exists(dir.resolve("fx0")), "nothing under a final name before complete");
        assertEquals(JobState.ACKNOWLEDGED, engine.complete(id).state());
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("fx0")));
        assertArrayEquals(b, Files.readAllBytes(dir.resolve("fx1")));
        assertEquals(0, Files.size(dir.resolve("fx2")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(3, s.count(), "no temporaries left");
        }
    }

    @Test
    void aFatalErrorOnOneFileStopsTheJobAndSetRemoteFixesIt() throws Exception {
        start();
        byte[] a = bytes(1_000_000, 3);
        transport.put("mem://h/a", a, "\"a\"");
        transport.put("mem://h/c", a, "\"c\"");
        transport.chunkBytes = 16 << 10;
        transport.readDelayMillis = 2; // file 0 is still moving when file 1's 404 arrives
        String id = job("y", Priority.FOREGROUND, "mem://h/a", "mem://h/missing", "mem://h/c");
        engine.resume(id);
        JobInfo failed = awaitState(id, JobState.ERROR);
        JobError e = failed.error();
        assertEquals(404, e.httpStatus());
        assertEquals(0x80190194, e.code());
        assertEquals(1, e.fileIndex());
        assertEquals(ErrorContext.REMOTE_FILE, e.context());
        assertTrue(failed.files().get(0).completed());
        assertEquals(a.length, failed.files().get(0).bytesTransferred());
        engine.setRemoteUrl(id, 1, "mem://h/a");
        engine.resume(id);
        awaitState(id, JobState.TRANSFERRED);
        engine.complete(id);
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("fy1")));
    }

    @Test
    void transientErrorsAreRetriedAfterTheMinimumRetryDelay() throws Exception {
        start();
        byte[] a = bytes(5000, 4);
        transport.put("mem://h/a", a, "\"a\"");
        transport.failNext("mem://h/a", JobError.http(503, "HTTP 503", null));
        transport.failNext("mem://h/a", new SocketException("Connection reset"));
        String id = job("z", Priority.FOREGROUND, "mem://h/a");
        engine.change(id, JobChanges.none().withMinRetryDelay(Duration.ofSeconds(1)));
        engine.resume(id);
        JobInfo t = awaitState(id, JobState.TRANSIENT_ERROR);
        assertEquals(503, t.error().httpStatus());
        assertTrue(t.error().transientError());
        JobInfo done = awaitState(id, JobState.TRANSFERRED);
        assertEquals(2, done.errorCount());
        engine.complete(id);
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("fz0")));
    }

    @Test
    void aZeroNoProgressTimeoutMakesTransientErrorsFatal() throws Exception {
        start();
        transport.put("mem://h/a", bytes(10, 5), "\"a\"");
        transport.failNext("mem://h/a", JobError.http(503, "HTTP 503", null));
        String id = job("n", Priority.FOREGROUND, "mem://h/a");
        engine.change(id, JobChanges.none().withNoProgressTimeout(Duration.ZERO));
        engine.resume(id);
        JobInfo failed = awaitState(id, JobState.ERROR);
        assertFalse(failed.error().transientError());
    }

    @Test
    void aRestartedEngineResumesFromTheLastCheckpoint() throws Exception {
        start();
        byte[] a = bytes(8 << 20, 6);
        transport.put("mem://h/a", a, "\"a\"");
        transport.chunkBytes = 64 << 10;
        transport.readDelayMillis = 5;
        String id = job("r", Priority.FOREGROUND, "mem://h/a");
        engine.resume(id);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> store.file(id, 0).bytesTransferred() > (1 << 20));
        engine.close();
        long durable = store.file(id, 0).bytesTransferred();
        assertEquals(JobState.TRANSFERRING, store.loadAll().get(0).job().state());
        transport.requests.clear();
        transport.readDelayMillis = 0;
        start();
        awaitState(id, JobState.TRANSFERRED);
        assertTrue(transport.requests.get(0).offset() >= durable, "resumed from the checkpoint, not from zero");
        engine.complete(id);
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("fr0")));
    }

    @Test
    void bytesPastTheLastCheckpointAreKeptOnlyWhenTheMachineDidNotReboot() throws Exception {
        for (boolean sameBoot : new boolean[] {true, false}) {
            start();
            byte[] a = bytes(6 << 20, 12);
            transport.put("mem://h/t", a, "\"t\"");
            transport.chunkBytes = 64 << 10;
            transport.readDelayMillis = 5;
            String id = job("t" + sameBoot, Priority.FOREGROUND, "mem://h/t");
            engine.resume(id);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> store.file(id, 0).bytesTransferred() > (2 << 20));
            engine.close();
            // a crash loses the last checkpoint: the store says less than the temporary holds
            FileRow row = store.file(id, 0);
            long onDisk = Files.size(Path.of(row.tempPath()));
            FileRow older = new FileRow(row.jobId(), 0, row.remoteUrl(), row.localPath(), row.tempPath(),
                    row.bytesTotal(), 1 << 20, false, row.etag(), row.lastModified(), row.transportState());
            store.write(new JobStore.Batch(List.of(), List.of(older), List.of()));
            transport.requests.clear();
            transport.readDelayMillis = 0;
            start(sameBoot);
            awaitState(id, JobState.TRANSFERRED);
            long resumedAt = transport.requests.get(0).offset();
            if (sameBoot) {
                assertEquals(onDisk, resumedAt, "same boot: the page cache kept every written byte");
            } else {
                assertEquals(1 << 20, resumedAt, "after a reboot only the checkpoint counts");
            }
            engine.complete(id);
            assertArrayEquals(a, Files.readAllBytes(dir.resolve("ft" + sameBoot + "0")));
            engine.close();
            engine = null;
        }
    }

    @Test
    void aChangedRemoteFileRestartsFromZeroWithTheNewContent() throws Exception {
        start();
        byte[] old = bytes(4 << 20, 7);
        byte[] fresh = bytes(3 << 20, 8);
        transport.put("mem://h/a", old, "\"v1\"");
        transport.chunkBytes = 64 << 10;
        transport.readDelayMillis = 5;
        String id = job("c", Priority.FOREGROUND, "mem://h/a");
        engine.resume(id);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> engine.job(id).bytesTransferred() > (1 << 20));
        engine.suspend(id);
        transport.put("mem://h/a", fresh, "\"v2\"");
        transport.readDelayMillis = 0;
        engine.resume(id);
        awaitState(id, JobState.TRANSFERRED);
        engine.complete(id);
        assertArrayEquals(fresh, Files.readAllBytes(dir.resolve("fc0")));
    }

    @Test
    void aServerThatIgnoresRangesRestartsTheFileInsteadOfAppending() throws Exception {
        start();
        byte[] a = bytes(4 << 20, 9);
        transport.put("mem://h/a", a, "\"a\"");
        transport.chunkBytes = 64 << 10;
        transport.readDelayMillis = 5;
        transport.ignoreRanges = true;
        String id = job("i", Priority.FOREGROUND, "mem://h/a");
        engine.resume(id);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> engine.job(id).bytesTransferred() > (1 << 20));
        engine.suspend(id);
        transport.readDelayMillis = 0;
        engine.resume(id);
        awaitState(id, JobState.TRANSFERRED);
        engine.complete(id);
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("fi0")));
    }

    @Test
    void cancelDeletesTemporariesAndIsFinal() throws Exception {
        start();
        transport.put("mem://h/a", bytes(4 << 20, 10), "\"a\"");
        transport.chunkBytes = 64 << 10;
        transport.readDelayMillis = 5;
        String id = job("k", Priority.FOREGROUND, "mem://h/a");
        engine.resume(id);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> engine.job(id).bytesTransferred() > 0);
        assertEquals(JobState.CANCELLED, engine.cancel(id).state());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
        JbitsException e = assertThrows(JbitsException.class, () -> engine.resume(id));
        assertEquals(BitsCodes.BG_E_INVALID_STATE, e.code());
        assertTrue(engine.jobs(false).isEmpty(), "final jobs are not listed");
        assertEquals(1, engine.jobs(true).size());
    }

    @Test
    void foregroundJobsRunBesideTheBackgroundJobAndHighPreemptsNormal() throws Exception {
        start();
        transport.put("mem://h/a", bytes(8 << 20, 11), "\"a\"");
        transport.chunkBytes = 16 << 10;
        transport.readDelayMillis = 10;
        String normal = job("n1", Priority.NORMAL, "mem://h/a");
        engine.resume(normal);
        awaitState(normal, JobState.TRANSFERRING);
        String fg = job("f1", Priority.FOREGROUND, "mem://h/a");
        engine.resume(fg);
        awaitState(fg, JobState.TRANSFERRING);
        assertEquals(JobState.TRANSFERRING, engine.job(normal).state(), "foreground does not take the background slot");
        String high = job("h1", Priority.HIGH, "mem://h/a");
        engine.resume(high);
        awaitState(high, JobState.TRANSFERRING);
        assertEquals(JobState.QUEUED, engine.job(normal).state(), "the higher priority preempted the normal job");
        engine.suspend(high);
        awaitState(normal, JobState.TRANSFERRING);
    }

    @Test
    void unknownJobsBadUrlsAndRelativePathsAreRefusedClearly() throws Exception {
        start();
        assertEquals(BitsCodes.BG_E_NOT_FOUND, assertThrows(JbitsException.class, () -> engine.job("nope")).code());
        String id = engine.create(NewJob.download("v")).id();
        assertEquals(BitsCodes.E_INVALIDARG,
                assertThrows(JbitsException.class, () -> engine.addFile(id, "ftp://x/y", "/tmp/z")).code());
        assertEquals(BitsCodes.E_INVALIDARG,
                assertThrows(JbitsException.class, () -> engine.addFile(id, "mem://h/a", "rel/path")).code());
        assertEquals(BitsCodes.BG_E_EMPTY, assertThrows(JbitsException.class, () -> engine.resume(id)).code());
        assertNotNull(engine.job(id.substring(0, 6)), "a unique prefix finds the job");
        assertEquals(BitsCodes.E_INVALIDARG, assertThrows(JbitsException.class,
                () -> engine.change(id, JobChanges.none().withMinRetryDelay(Duration.ofMillis(500)))).code());
    }

    @Test
    void aRestartWritesNothingForSuspendedJobsWhoseFilesNeverStarted() throws IOException {
        start();
        for (int i = 0; i < 3; i++) {
            job("idle" + i, Priority.NORMAL, "mem://h/a" + i, "mem://h/b" + i);
        }
        engine.close();
        int writesBefore = store.writes;

        start();

        assertEquals(writesBefore, store.writes, "loading a queue of untouched jobs rewrote rows");
        assertEquals(3, engine.jobs(false).size());
    }
}
