package io.jbits.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.NewJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redirects "report": the file's remote URL becomes the final URL, durably (BITS ALLOW_REPORT). */
class EngineRedirectReportTest {
    @TempDir
    Path dir;
    private final MemoryStore store = new MemoryStore();
    private final ScriptedTransport transport = new ScriptedTransport();
    private Engine engine;

    private Engine start() throws Exception {
        engine = Engine.start(EngineConfig.builder(store, "alice").transports(List.of(transport))
                .filesInParallel(4).checkpointInterval(Duration.ofMillis(50)).build());
        return engine;
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void aReportedRedirectBecomesTheFilesRemoteUrl() throws Exception {
        start();
        transport.put("mem://h/old", EngineTest.bytes(5000, 3), "\"x\"");
        transport.reportedMoves.put("mem://h/old", "mem://mirror/new");
        String id = engine.create(NewJob.download("moved")).id();
        engine.addFile(id, "mem://h/old", dir.resolve("f").toString());
        engine.resume(id);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> engine.job(id).state() == JobState.TRANSFERRED);
        assertEquals("mem://mirror/new", engine.job(id).files().getFirst().remoteUrl());
        engine.close();
        engine = null;
        JobInfo reloaded = start().job(id);
        assertEquals("mem://mirror/new", reloaded.files().getFirst().remoteUrl(), "the new URL is durable");
    }
}
