package io.jbits.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jbits.api.JobChanges;
import io.jbits.api.JobError;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.NewJob;
import io.jbits.api.Priority;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Why a job waiting to retry is held back, on a fake ticker: the seconds until its retry timer fires. */
class EngineHeldBackTest {
    @TempDir
    Path dir;
    final MemoryStore store = new MemoryStore();
    final ScriptedTransport transport = new ScriptedTransport();
    /** Monotonic time that moves only when the test says so; it starts far from zero, as nanoTime may. */
    final AtomicLong nanos = new AtomicLong(-7_000_000_000_000L);
    Engine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    String failingJob(Duration minRetryDelay, Duration noProgressTimeout) throws IOException {
        engine = Engine.start(EngineConfig.builder(store, "alice").transports(List.of(transport))
                .ticker(nanos::get).build());
        transport.put("mem://h/a", new byte[100], "\"a\"");
        transport.failNext("mem://h/a", JobError.http(503, "HTTP 503", null));
        String id = engine.create(NewJob.download("r").withPriority(Priority.FOREGROUND)).id();
        engine.addFile(id, "mem://h/a", dir.resolve("a").toString());
        engine.change(id, JobChanges.none().withMinRetryDelay(minRetryDelay).withNoProgressTimeout(noProgressTimeout));
        engine.resume(id);
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> engine.job(id).state() == JobState.TRANSIENT_ERROR);
        return id;
    }

    @Test
    void aJobWaitingToRetrySaysInHowManySeconds() throws IOException {
        String id = failingJob(Duration.ofSeconds(60), Duration.ofDays(14));
        assertEquals("retry in 60 s", engine.job(id).heldBack());
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(17_500));
        assertEquals("retry in 43 s", engine.job(id).heldBack(), "whole seconds, rounded up");
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        JobInfo listed = engine.jobs(false).getFirst();
        assertEquals("retry in 42 s", listed.heldBack(), "the job list says it too");
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(42));
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> engine.job(id).state() == JobState.TRANSFERRED);
        assertEquals(null, engine.job(id).heldBack(), "nothing holds a finished job back");
    }

    @Test
    void aJobWhoseTimeoutComesBeforeItsRetrySaysItWillFail() throws IOException {
        String id = failingJob(Duration.ofSeconds(600), Duration.ofSeconds(90));
        assertEquals("no retry, fails in 90 s", engine.job(id).heldBack());
    }
}
