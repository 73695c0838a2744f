package io.jbits.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jbits.api.BitsCodes;
import io.jbits.api.JbitsException;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.NewFile;
import io.jbits.api.NewJob;
import io.jbits.api.NewUpload;
import io.jbits.api.Priority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Engine#startUploads}: many upload jobs created and queued in one call, all or none; and
 * {@link Engine#completeAll}, which completes them in one call.
 */
class EngineUploadBatchTest {
    @TempDir
    Path dir;
    final MemoryStore store = new MemoryStore();
    final ScriptedUploads uploads = new ScriptedUploads();
    Engine engine;

    void start() throws IOException {
        engine = Engine.start(EngineConfig.builder(store, "alice").transports(List.of(new ScriptedTransport()))
                .uploadTransports(List.of(uploads)).checkpointInterval(Duration.ofMillis(50)).build());
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    Path source(String name, int size) throws IOException {
        byte[] b = new byte[size];
        new SplittableRandom(size).nextBytes(b);
        return Files.write(dir.resolve(name), b);
    }

    @Test
    void everyUploadOfTheBatchIsOneQueuedJobAndArrivesWhole() throws Exception {
        start();
        List<NewUpload> batch = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Path src = source("b" + i, 10_000 + i);
            sources.add(src);
            batch.add(new NewUpload(new NewJob("b" + i, JobType.UPLOAD, Priority.HIGH, ""),
                    new NewFile("up://server/in/b" + i, src.toString())));
        }
        List<JobInfo> started = engine.startUploads(batch.subList(0, 5));
        assertEquals(5, started.size());
        for (int i = 0; i < 5; i++) {
            JobInfo j = started.get(i);
            assertEquals("b" + i, j.name(), "in the order given");
            assertEquals(JobType.UPLOAD, j.type());
            assertEquals(Priority.HIGH, j.priority());
            assertEquals(1, j.filesTotal());
            assertEquals(sources.get(i).toString(), j.files().get(0).localPath());
        }
        List<NewUpload> rest = new ArrayList<>(batch.subList(5, 20));
        started = new ArrayList<>(started);
        started.addAll(engine.startUploads(rest));
        for (JobInfo j : started) {
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> engine.job(j.id()).state() == JobState.TRANSFERRED);
            assertEquals(JobState.ACKNOWLEDGED, engine.complete(j.id()).state());
        }
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(Files.readAllBytes(sources.get(i)), uploads.received.get("up://server/in/b" + i),
                    "b" + i);
        }
        assertEquals(20, engine.jobs(true).size());
    }

    @Test
    void aBadEntryStartsNoJobOfTheBatch() throws Exception {
        start();
        Path good = source("good", 5_000);
        NewUpload ok = new NewUpload(new NewJob("ok", JobType.UPLOAD, Priority.NORMAL, ""),
                new NewFile("up://server/in/ok", good.toString()));
        JbitsException missing = assertThrows(JbitsException.class, () -> engine.startUploads(List.of(ok,
                new NewUpload(new NewJob("missing", JobType.UPLOAD, Priority.NORMAL, ""),
                        new NewFile("up://server/in/m", dir.resolve("absent").toString())))));
        assertEquals(BitsCodes.E_INVALIDARG, missing.code());
        JbitsException download = assertThrows(JbitsException.class, () -> engine.startUploads(List.of(ok,
                new NewUpload(NewJob.download("d"), new NewFile("up://server/in/d", good.toString())))));
        assertEquals(BitsCodes.E_INVALIDARG, download.code());
        JbitsException unnamed = assertThrows(JbitsException.class, () -> engine.startUploads(List.of(ok,
                new NewUpload(new NewJob(" ", JobType.UPLOAD, Priority.NORMAL, ""),
                        new NewFile("up://server/in/n", good.toString())))));
        assertEquals(BitsCodes.E_INVALIDARG, unnamed.code());
        assertEquals(BitsCodes.E_INVALIDARG,
                assertThrows(JbitsException.class, () -> engine.startUploads(List.of())).code());
        assertEquals(List.of(), engine.jobs(true), "all or none: no job was created");
    }

    @Test
    void theBatchIsDurableWhenTheCallReturns() throws Exception {
        start();
        Path src = source("d", 4_000);
        uploads.fragmentDelayMillis = 200;
        String id = engine.startUploads(List.of(new NewUpload(new NewJob("d", JobType.UPLOAD, Priority.NORMAL, ""),
                new NewFile("up://server/in/d", src.toString())))).get(0).id();
        engine.close();
        uploads.fragmentDelayMillis = 0;
        start();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> engine.job(id).state() == JobState.TRANSFERRED);
        assertArrayEquals(Files.readAllBytes(src), uploads.received.get("up://server/in/d"));
    }

    @Test
    void completeAllCompletesEveryJobDurablyInTheOrderGiven() throws Exception {
        start();
        List<NewUpload> batch = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Path src = source("c" + i, 3_000 + i);
            sources.add(src);
            batch.add(new NewUpload(new NewJob("c" + i, JobType.UPLOAD, Priority.HIGH, ""),
                    new NewFile("up://server/in/c" + i, src.toString())));
        }
        List<String> ids = engine.startUploads(batch).stream().map(JobInfo::id).toList();
        for (String id : ids) {
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> engine.job(id).state() == JobState.TRANSFERRED);
        }
        List<String> reversed = new ArrayList<>(ids).reversed();
        List<JobInfo> done = engine.completeAll(reversed);
        assertEquals(reversed, done.stream().map(JobInfo::id).toList(), "in the order given");
        for (JobInfo j : done) {
            assertEquals(JobState.ACKNOWLEDGED, j.state());
        }
        engine.close();
        start();
        for (String id : ids) {
            assertEquals(JobState.ACKNOWLEDGED, engine.job(id).state(), "stored when the call returned");
        }
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(Files.readAllBytes(sources.get(i)), uploads.received.get("up://server/in/c" + i));
        }
    }

    @Test
    void completeAllStopsAtAJobThatCannotBeCompletedAndKeepsTheOnesBefore() throws Exception {
        start();
        Path src = source("e", 2_000);
        String first = engine.startUploads(List.of(new NewUpload(new NewJob("e", JobType.UPLOAD, Priority.HIGH,
                ""), new NewFile("up://server/in/e", src.toString())))).get(0).id();
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> engine.job(first).state() == JobState.TRANSFERRED);
        String unstarted = engine.create(new NewJob("u", JobType.UPLOAD, Priority.NORMAL, "")).id();
        JbitsException refused = assertThrows(JbitsException.class,
                () -> engine.completeAll(List.of(first, unstarted)));
        assertEquals(JobState.ACKNOWLEDGED, engine.job(first).state(), "the job before the refused one stays done");
        assertEquals(JobState.SUSPENDED, engine.job(unstarted).state());
        assertEquals(assertThrows(JbitsException.class, () -> engine.complete(unstarted)).code(), refused.code(),
                "refused as complete refuses it");
        assertEquals(BitsCodes.E_INVALIDARG,
                assertThrows(JbitsException.class, () -> engine.completeAll(List.of())).code());
    }
}
