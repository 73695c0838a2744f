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
