package io.jbits.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.JobState;
import io.jbits.api.NewJob;
import io.jbits.core.internal.Checkpointer;
import io.jbits.spi.FileRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file that grows by {@link Checkpointer#STEP_BYTES} past its last checkpoint gets one before the checkpoint
 * interval ends: its bytes reach the disk while the transfer goes on, and the force at its end finds little left.
 */
class EngineCheckpointStepTest {
    @TempDir
    Path dir;
    final ScriptedTransport transport = new ScriptedTransport();
    final MemoryStore store = new MemoryStore();
    Engine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void aFastFileIsCheckpointedEveryStepNotOnlyEveryInterval() throws Exception {
        engine = Engine.start(EngineConfig.builder(store, "alice").transports(List.of(transport))
                .checkpointInterval(Duration.ofHours(1)).build());
        int size = (int) (2 * Checkpointer.STEP_BYTES + (16 << 20));
        byte[] data = EngineTest.bytes(size, 21);
        transport.put("mem://h/big", data, "\"big\"");
        transport.readDelayMillis = 15; // about 2.4 s for the 144 MiB, 1 MiB a read
        String id = engine.create(NewJob.download("big")).id();
        engine.addFile(id, "mem://h/big", dir.resolve("big").toString());
        engine.resume(id);

        AtomicLong writtenWhenDurable = new AtomicLong(-1);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            long written = engine.job(id).bytesTransferred();
            FileRow row = store.file(id, 0);
            if (row != null && row.bytesTransferred() >= Checkpointer.STEP_BYTES) {
                writtenWhenDurable.set(written);
                return true;
            }
            return false;
        });
        assertTrue(writtenWhenDurable.get() < size, "a checkpoint before the end of the file (an interval of an "
                + "hour): written " + writtenWhenDurable.get() + " of " + size);

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> engine.job(id).state() == JobState.TRANSFERRED);
        engine.complete(id);
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("big")));
    }
}
