package io.jbits.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.JobError;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.Priority;
import io.jbits.spi.BackgroundGovernor;
import io.jbits.spi.Bandwidth;
import io.jbits.spi.FileRow;
import io.jbits.spi.JobRow;
import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.Transport;
import io.jbits.spi.UploadTransport;
import io.jbits.spi.Validator;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every byte of the body lands in the temporary file exactly once, however the copy loop ends: at the end of the
 * body, or when the wait for bandwidth before the next read is refused after the last chunk was written (the
 * buffer then still holds that chunk, and nothing may write it a second time). A body whose end was never read
 * is not handed over as complete, even when its size is unknown.
 */
class FileDownloadCopyTest {
    private static final String JOB_ID = "0000abcd-0000-4000-8000-000000000000";
    /** Three reads of 1 KiB at a cap of 1 KiB/s: every read waits for its bandwidth. */
    private static final byte[] BODY = body(3 * 1024);

    @TempDir
    Path dir;
    private long nowNanos = 5_000_000_000L;
    private final AtomicBoolean handedOver = new AtomicBoolean();

    @Test
    void aBodyReadToItsEndIsWrittenOnce() throws Exception {
        FileModel file = newFile();
        JobError error = download(file, nanos -> true, -1);
        assertNull(error);
        assertTrue(handedOver.get(), "the whole body is in: the syncer gets it");
        assertEquals(sha256(BODY), sha256(Files.readAllBytes(Path.of(file.tempPath()))));
        assertEquals(BODY.length, file.written);
    }

    @Test
    void aRefusedWaitAfterTheLastChunkWritesNothingTwice() throws Exception {
        FileModel file = newFile();
        // the wait before the read that would have seen the body's end is refused, as an interrupted sleep is
        JobError error = download(file, nanos -> file.written < BODY.length, -1);
        assertArrayEquals(BODY, Files.readAllBytes(Path.of(file.tempPath())), "each byte once, in its place");
        assertEquals(BODY.length, file.written);
        assertNotNull(error, "the end of the body was never seen: the copy did not finish");
        assertTrue(error.transientError());
        assertFalse(handedOver.get(), "a body of unknown size is not complete before its end is read");
    }

    @Test
    void aRefusedWaitOfAKnownSizeKeepsTheBytesAndIsRetried() throws Exception {
        FileModel file = newFile();
        JobError error = download(file, nanos -> file.written < 2048, BODY.length);
        assertArrayEquals(Arrays.copyOf(BODY, 2048), Files.readAllBytes(Path.of(file.tempPath())));
        assertEquals(2048, file.written);
        assertNotNull(error);
        assertTrue(error.transientError(), "the job retries and resumes from byte 2048");
        assertFalse(handedOver.get());
    }

    @Test
    void anInterruptedWaitAfterTheLastChunkWritesNothingTwice() throws Exception {
        FileModel file = newFile();
        JobError error;
        try {
            error = download(file, nanos -> {
                if (file.written < BODY.length) {
                    return true;
                }
                Thread.currentThread().interrupt(); // as Pacing.Sleeper.system() leaves it
                return false;
            }, -1);
        } finally {
            Thread.interrupted();
        }
        assertArrayEquals(BODY, Files.readAllBytes(Path.of(file.tempPath())));
        assertNotNull(error);
        assertFalse(handedOver.get());
    }

    @Test
    void aWaitRefusedBeforeTheFirstReadLeavesABodyOfUnknownSizeUnfinished() throws Exception {
        FileModel file = newFile();
        JobError error = download(file, nanos -> false, -1);
        assertEquals(0, Files.size(Path.of(file.tempPath())));
        assertNotNull(error, "nothing was read: the file is not an empty file");
        assertFalse(handedOver.get());
    }

    private FileModel newFile() {
        String local = dir.resolve("out.bin").toString();
        return new FileModel(new FileRow(JOB_ID, 0, "mem://h/f", local, LocalFiles.tempPathFor(JOB_ID, local), -1,
                0, false, null, null, "{}"), JOB_ID, FileModel.Kind.DOWNLOAD);
    }

    /**
     * Downloads {@code file} at a cap of 1 KiB/s on a fake ticker whose paced sleeps pass at once while
     * {@code sleepAllowed} says so (and return false, as an interrupted sleep does, when it does not).
     */
    private JobError download(FileModel file, LongPredicate sleepAllowed, long announcedSize) {
        Pacing pacing = new Pacing(() -> nowNanos, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), ZoneOffset.UTC,
                BackgroundGovernor.unlimited(), nanos -> {
                    if (!sleepAllowed.test(nanos)) {
                        return false;
                    }
                    nowNanos += nanos;
                    return true;
                });
        JobModel job = new JobModel(new JobRow(JOB_ID, "j", "", JobType.DOWNLOAD, Priority.NORMAL, "alice",
                JobState.TRANSFERRING, Instant.EPOCH, Instant.EPOCH, null, Duration.ofMinutes(10),
                Duration.ofDays(14), 0, null, "{}"), List.of(), "alice");
        job.files.add(file);
        job.pacer = pacing.newJob();
        job.pacer.cap(Bandwidth.of(1024));
        RunHost host = new Host(new MemTransport(announcedSize));
        JobRun run = new JobRun(host, job, List.of(file), 1);
        return new FileDownload(host, run, file, "alice", "{}").run();
    }

    private static byte[] body(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + i / 1024);
        }
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Takes the run's reports; a completely written file counts as handed over to the syncer. */
    private final class Host implements RunHost {
        private final Transport transport;

        Host(Transport transport) {
            this.transport = transport;
        }

        @Override
        public Transport transportFor(URI remote) {
            return transport;
        }

        @Override
        public UploadTransport uploadTransportFor(URI remote) {
            return null;
        }

        @Override
        public void connected(JobRun run) {
        }

        @Override
        public void progress(JobRun run, long bytes, boolean newBytes) {
        }

        @Override
        public void fileChanged(FileModel file, boolean now) {
        }

        @Override
        public void writing(FileModel file, boolean active) {
        }

        @Override
        public void written(JobRun run, FileModel file) {
            handedOver.set(true);
        }

        @Override
        public void finished(JobRun run, Outcome outcome) {
        }
    }

    /** {@link #BODY} from offset 0, with the size announced or not ({@code -1}). */
    private record MemTransport(long announcedSize) implements Transport {
        @Override
        public boolean handles(URI remote) {
            return true;
        }

        @Override
        public RemoteBody open(RemoteRequest r) {
            return new RemoteBody() {
                int pos;

                @Override
                public long offset() {
                    return 0;
                }

                @Override
                public Validator validator() {
                    return new Validator("\"v1\"", null, announcedSize);
                }

                @Override
                public URI finalUri() {
                    return r.remote();
                }

                @Override
                public boolean reportFinalUri() {
                    return false;
                }

                @Override
                public int read(ByteBuffer dst) {
                    if (pos >= BODY.length) {
                        return -1;
                    }
                    int n = Math.min(dst.remaining(), BODY.length - pos);
                    dst.put(BODY, pos, n);
                    pos += n;
                    return n;
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
