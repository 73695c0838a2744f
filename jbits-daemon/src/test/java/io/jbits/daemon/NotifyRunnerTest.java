package io.jbits.daemon;

import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.Priority;
import io.jbits.core.Engine;
import io.jbits.core.EngineConfig;
import io.jbits.core.JobOptions;
import io.jbits.core.JobRow;
import io.jbits.core.JobStore;
import io.jbits.store.sqlite.SqliteJobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The notify command runs as the job's owner only: a service of another user refuses it. */
class NotifyRunnerTest {
    @TempDir
    Path dir;
    private Engine engine;
    private NotifyRunner runner;

    @AfterEach
    void stop() {
        if (runner != null) {
            runner.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    /** An engine of {@code owner} holding one TRANSFERRED job of alice whose command touches {@code ran}. */
    private Path engineWithTransferredJobOfAlice(String owner) throws Exception {
        Path ran = dir.resolve("ran");
        Path script = dir.resolve("touch.sh");
        Files.writeString(script, "#!/bin/sh\ntouch " + ran + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Instant now = Instant.now();
        String options = JobOptions.empty().with("notify.cmd", script.toString()).with("notify.on", "transferred")
                .toJson();
        SqliteJobStore store = SqliteJobStore.open(dir.resolve("jobs.db"));
        store.write(new JobStore.Batch(List.of(new JobRow("00000000-0000-4000-8000-000000000001", "j", "",
                JobType.DOWNLOAD, Priority.NORMAL, "alice", JobState.TRANSFERRED, now, now, now,
                Duration.ofSeconds(600), Duration.ofDays(14), 0, null, options)), List.of(), List.of()));
        engine = Engine.start(EngineConfig.defaults(store, List.of(), owner));
        return ran;
    }

    @Test
    void theOwnersServiceRunsTheCommandOfATransferredJob() throws Exception {
        Path ran = engineWithTransferredJobOfAlice("alice");
        runner = new NotifyRunner(engine, "alice");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(ran));
    }

    @Test
    void aServiceOfAnotherUserNeverRunsIt() throws Exception {
        Path ran = engineWithTransferredJobOfAlice("bob");
        runner = new NotifyRunner(engine, "bob");
        Thread.sleep(2000);
        assertFalse(Files.exists(ran), "ran as bob for a job of alice");
    }
}
