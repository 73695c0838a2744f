package io.jbits.wiring;

import io.jbits.api.JobEvent;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.NewJob;
import io.jbits.api.Priority;
import io.jbits.core.Engine;
import io.jbits.core.EngineConfig;
import io.jbits.spi.JobOptions;
import io.jbits.spi.JobRow;
import io.jbits.spi.JobStore;
import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.Transport;
import io.jbits.spi.Validator;
import io.jbits.store.sqlite.SqliteJobStore;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The notify command runs as the job's owner only: a service of another user refuses it; and a command that
 * succeeded does not run again when the service restarts.
 */
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

    /**
     * The store keeps times to the millisecond, the clock gives finer ones: the mark of a run that succeeded must
     * still match the job's transfer time as a restarted service reads it back.
     */
    @Test
    void aCommandThatSucceededDoesNotRunAgainAfterARestart() throws Exception {
        Path runs = dir.resolve("runs.log");
        Path script = dir.resolve("append.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$JBITS_EVENT\" >> " + runs + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        // The system clock has microseconds here; shifted by 123,456 ns, it is never on a whole millisecond.
        Clock fine = Clock.offset(Clock.systemUTC(), Duration.ofNanos(123_456));
        SqliteJobStore store = SqliteJobStore.open(dir.resolve("jobs.db"));
        engine = Engine.start(EngineConfig.builder(store, "alice").transports(List.of(new TenBytes())).clock(fine).build());
        runner = new NotifyRunner(engine, "alice");
        String id = engine.create(new NewJob("n", JobType.DOWNLOAD, Priority.FOREGROUND, "")).id();
        engine.addFile(id, "mem://ten", dir.resolve("ten.bin").toString());
        engine.setNotifyCommand(id, script.toString(), Set.of(JobEvent.Kind.TRANSFERRED));
        engine.resume(id);
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.options(id).string("notify.done") != null);
        assertEquals(List.of("transferred"), Files.readAllLines(runs));

        runner.close();
        engine.close();
        store.close();
        engine = Engine.start(EngineConfig.defaults(SqliteJobStore.open(dir.resolve("jobs.db")),
                List.of(new TenBytes()), "alice"));
        runner = new NotifyRunner(engine, "alice");
        assertEquals(JobState.TRANSFERRED, engine.job(id).state());
        Thread.sleep(2000); // a run owed after the restart starts at once
        assertEquals(List.of("transferred"), Files.readAllLines(runs), "runs after the restart");
    }

    /** Ten bytes for any {@code mem:} name. */
    private static final class TenBytes implements Transport {
        @Override
        public boolean handles(URI remote) {
            return "mem".equals(remote.getScheme());
        }

        @Override
        public RemoteBody open(RemoteRequest request) {
            ByteBuffer bytes = ByteBuffer.wrap("0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            bytes.position((int) request.offset());
            return new RemoteBody() {
                @Override
                public long offset() {
                    return request.offset();
                }

                @Override
                public Validator validator() {
                    return new Validator("\"ten\"", null, 10);
                }

                @Override
                public URI finalUri() {
                    return request.remote();
                }

                @Override
                public int read(ByteBuffer dst) {
                    if (!bytes.hasRemaining()) {
                        return -1;
                    }
                    int n = Math.min(dst.remaining(), bytes.remaining());
                    dst.put(dst.position(), bytes, bytes.position(), n);
                    dst.position(dst.position() + n);
                    bytes.position(bytes.position() + n);
                    return n;
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
