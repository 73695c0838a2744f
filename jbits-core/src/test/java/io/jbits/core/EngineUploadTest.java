package io.jbits.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JbitsException;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.NewJob;
import io.jbits.api.Priority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's upload and upload-reply steps over scripted transports. */
class EngineUploadTest {
    @TempDir
    Path dir;
    final MemoryStore store = new MemoryStore();
    final ScriptedTransport downloads = new ScriptedTransport();
    final ScriptedUploads uploads = new ScriptedUploads();
    Engine engine;

    void start() throws IOException {
        engine = Engine.start(EngineConfig.builder(store, "alice").transports(List.of(downloads))
                .uploadTransports(List.of(uploads)).filesInParallel(4).checkpointInterval(Duration.ofMillis(50))
                .build());
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    Path source(int size) throws IOException {
        byte[] b = new byte[size];
        new SplittableRandom(size).nextBytes(b);
        return Files.write(dir.resolve("src-" + size + ".bin"), b);
    }

    JobInfo awaitState(String id, JobState s) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> engine.job(id).state() == s);
        return engine.job(id);
    }

    @Test
    void anUploadJobSendsItsOneFileAndCompletesWithoutTouchingIt() throws Exception {
        start();
        Path src = source(3_000_000);
        String id = engine.create(new NewJob("u", JobType.UPLOAD, Priority.FOREGROUND, "")).id();
        engine.addFile(id, "up://server/in/a.bin", src.toString());
        JbitsException twice = assertThrows(JbitsException.class,
                () -> engine.addFile(id, "up://server/in/b.bin", src.toString()));
        assertEquals(BitsCodes.BG_E_TOO_MANY_FILES, twice.code());
        engine.resume(id);
        JobInfo done = awaitState(id, JobState.TRANSFERRED);
        assertEquals(3_000_000, done.bytesTransferred());
        assertArrayEquals(Files.readAllBytes(src), uploads.received.get("up://server/in/a.bin"));
        assertEquals(JobState.ACKNOWLEDGED, engine.complete(id).state());
        assertTrue(Files.exists(src), "the source stays where it is");
    }

    @Test
    void anUploadReplyJobIsTransferredOnlyOnceTheReplyArrivedAndTheSessionClosed() throws Exception {
        start();
        Path src = source(100_000);
        byte[] reply = "thank you".getBytes();
        downloads.put("mem://server/reply/1", reply, "\"r\"");
        uploads.replyUrl = "mem://server/reply/1";
        String id = engine.create(new NewJob("ur", JobType.UPLOAD_REPLY, Priority.FOREGROUND, "")).id();
        engine.addFile(id, "up://server/in/r.bin", src.toString());
        Path replyFile = dir.resolve("answer.txt");
        engine.setReplyFile(id, replyFile.toString());
        assertEquals(BitsCodes.BG_E_INVALID_STATE, assertThrows(JbitsException.class, () -> engine.replyData(id)).code());
        engine.resume(id);
        JobInfo done = awaitState(id, JobState.TRANSFERRED);
        assertEquals(1, done.filesTotal());
        assertEquals(replyFile.toString(), done.replyFile());
        assertEquals(reply.length, done.replyBytesTransferred());
        assertEquals(1, uploads.closed.size(), "Close-Session after the reply");
        assertArrayEquals(reply, engine.replyData(id));
        engine.complete(id);
        assertArrayEquals(reply, Files.readAllBytes(replyFile));
    }

    @Test
    void aRestartContinuesTheSameUploadSession() throws Exception {
        start();
        Path src = source(8_000_000);
        uploads.fragmentBytes = 100_000;
        uploads.fragmentDelayMillis = 5;
        String id = engine.create(new NewJob("k", JobType.UPLOAD, Priority.FOREGROUND, "")).id();
        engine.addFile(id, "up://server/in/k.bin", src.toString());
        engine.resume(id);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> engine.job(id).bytesTransferred() > 1_000_000);
        engine.close();
        uploads.fragmentDelayMillis = 0;
        start();
        awaitState(id, JobState.TRANSFERRED);
        assertEquals(1, uploads.sessionOffsets.size(), "one session from start to end");
        assertArrayEquals(Files.readAllBytes(src), uploads.received.get("up://server/in/k.bin"));
    }

    @Test
    void aLocalFileThatChangesDuringTheUploadEndsInError() throws Exception {
        start();
        Path src = source(5_000_000);
        uploads.fragmentBytes = 50_000;
        uploads.fragmentDelayMillis = 20;
        String id = engine.create(new NewJob("c", JobType.UPLOAD, Priority.FOREGROUND, "")).id();
        engine.addFile(id, "up://server/in/c.bin", src.toString());
        engine.resume(id);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> engine.job(id).bytesTransferred() > 0);
        Files.write(src, new byte[10]);
        JobInfo failed = awaitState(id, JobState.ERROR);
        assertEquals(BitsCodes.BG_E_LOCAL_FILE_CHANGED, failed.error().code());
        assertEquals(ErrorContext.LOCAL_FILE, failed.error().context());
        engine.cancel(id);
        assertEquals(1, uploads.cancelled.size(), "Cancel-Session on cancel");
        assertTrue(Files.exists(src), "cancel never deletes an upload's source");
    }
}
