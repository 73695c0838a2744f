package io.jbits.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.BitsCodes;
import io.jbits.api.JbitsException;
import io.jbits.api.JobEvent;
import io.jbits.api.JobInfo;
import io.jbits.api.JobListener;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.NewFile;
import io.jbits.api.NewJob;
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

/** {@link Engine#startDownload}: a download job made with its files and queued in one call, all or none. */
class EngineDownloadStartTest {
    @TempDir
    Path dir;
    final MemoryStore store = new MemoryStore();
    final ScriptedTransport transport = new ScriptedTransport();
    Engine engine;

    void start() throws IOException {
        engine = Engine.start(EngineConfig.builder(store, "alice").transports(List.of(transport))
                .checkpointInterval(Duration.ofMillis(50)).build());
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    byte[] served(String url, int size) {
        byte[] b = new byte[size];
        new SplittableRandom(size).nextBytes(b);
        transport.put(url, b, "\"" + size + "\"");
        return b;
    }

    @Test
    void theJobIsQueuedWithEveryFileAndArrivesWhole() throws Exception {
        start();
        List<NewFile> files = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            bodies.add(served("mem://h/f" + i, 1_000 + i));
            files.add(new NewFile("mem://h/f" + i, dir.resolve("f" + i).toString()));
        }
        JobInfo started = engine.startDownload(new NewJob("set", JobType.DOWNLOAD, Priority.HIGH, "d"), files);
        assertEquals("set", started.name());
        assertEquals(Priority.HIGH, started.priority());
        assertEquals(30, started.filesTotal());
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> engine.job(started.id()).state() == JobState.TRANSFERRED);
        assertEquals(JobState.ACKNOWLEDGED, engine.complete(started.id()).state());
        for (int i = 0; i < 30; i++) {
            assertArrayEquals(bodies.get(i), Files.readAllBytes(dir.resolve("f" + i)), "f" + i);
        }
    }

    /**
     * One FILE_TRANSFERRED event per file, each with the job's counts as they stand once its file is durable, and all
     * of them before the job's TRANSFERRED (the syncer reports a round's files together).
     */
    @Test
    void everyFileHasItsEventWithTheCountsBeforeTheJobIsTransferred() throws Exception {
        start();
        int count = 200;
        List<NewFile> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            served("mem://h/e" + i, 500 + i);
            files.add(new NewFile("mem://h/e" + i, dir.resolve("e" + i).toString()));
        }
        java.util.concurrent.BlockingQueue<JobEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
        try (var ignored = engine.addListener(null, Duration.ZERO, JobListener.of(events::add))) {
            String id = engine.startDownload(NewJob.download("events"), files).id();
            java.util.Set<Integer> indexes = new java.util.TreeSet<>();
            int previousDone = 0;
            JobEvent e;
            do {
                e = events.poll(20, java.util.concurrent.TimeUnit.SECONDS);
                assertNotNull(e, "no TRANSFERRED within 20 s; files reported: " + indexes.size());
                assertEquals(id, e.jobId());
                if (e.kind() == JobEvent.Kind.FILE_TRANSFERRED) {
                    assertTrue(indexes.add(e.fileIndex()), "a second event for file " + e.fileIndex());
                    assertTrue(e.filesTransferred() >= indexes.size(), e.filesTransferred() + " done after " + indexes.size());
                    assertTrue(e.filesTransferred() >= previousDone, "the count went back: " + e);
                    assertEquals(count, e.filesTotal());
                    previousDone = e.filesTransferred();
                }
            } while (e.kind() != JobEvent.Kind.TRANSFERRED);
            assertEquals(count, indexes.size(), "a FILE_TRANSFERRED per file before TRANSFERRED");
            assertEquals(count, e.filesTransferred());
            long bytes = 0;
            for (int i = 0; i < count; i++) {
                bytes += 500 + i;
            }
            assertEquals(bytes, e.bytesTotal());
            assertEquals(bytes, e.bytesTransferred());
        }
    }

    @Test
    void aBadFileOrJobMakesNoJob() throws Exception {
        start();
        NewFile ok = new NewFile("mem://h/ok", dir.resolve("ok").toString());
        NewJob job = NewJob.download("d");
        assertEquals(BitsCodes.E_INVALIDARG, assertThrows(JbitsException.class, () -> engine.startDownload(job,
                List.of(ok, new NewFile("mem://h/rel", "relative/path")))).code());
        assertEquals(BitsCodes.E_INVALIDARG, assertThrows(JbitsException.class, () -> engine.startDownload(job,
                List.of(ok, new NewFile("mem://h/twice", dir.resolve("ok").toString())))).code(),
                "two files writing one path");
        assertEquals(BitsCodes.E_INVALIDARG, assertThrows(JbitsException.class,
                () -> engine.startDownload(job, List.of())).code());
        assertEquals(BitsCodes.E_INVALIDARG, assertThrows(JbitsException.class, () -> engine.startDownload(
                new NewJob("u", JobType.UPLOAD, Priority.NORMAL, ""), List.of(ok))).code());
        assertEquals(BitsCodes.E_INVALIDARG, assertThrows(JbitsException.class, () -> engine.startDownload(
                NewJob.download(" "), List.of(ok))).code());
        assertEquals(List.of(), engine.jobs(true), "all or none: no job was created");
    }

    @Test
    void theQueuedJobIsDurableWhenTheCallReturns() throws Exception {
        start();
        byte[] body = served("mem://h/d", 4_000);
        String id = engine.startDownload(NewJob.download("d"),
                List.of(new NewFile("mem://h/d", dir.resolve("d").toString()))).id();
        engine.close();
        start();
        JobInfo reopened = engine.job(id);
        assertEquals(1, reopened.filesTotal());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> engine.job(id).state() == JobState.TRANSFERRED);
        engine.complete(id);
        assertArrayEquals(body, Files.readAllBytes(dir.resolve("d")));
    }
}
