package io.jbits.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.ErrorContext;
import io.jbits.events.EventDelivery;
import io.jbits.api.JobError;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.Priority;
import io.jbits.core.EngineConfig;
import io.jbits.spi.FileRow;
import io.jbits.spi.JobRow;
import io.jbits.spi.JobStore;
import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.Transport;
import io.jbits.spi.Validator;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a job holds only while it runs (pacer, rate meter), what it holds only after an error (retry timer), and the
 * shared values of idle jobs: made and dropped at the right moments, and nothing a restart needs is lost on the way.
 */
class JobQueueLazyPartsTest {
    private static final String OWNER = "alice";
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path dir;
    private final RowStore store = new RowStore();
    private final GateTransport transport = new GateTransport();
    private final Object lock = new Object();
    private Syncer syncer;
    private EventDelivery delivery;
    private JobQueue queue;

    @AfterEach
    void stop() {
        transport.release.countDown();
        if (queue != null) {
            queue.shutdown();
        }
        if (syncer != null) {
            syncer.close();
        }
        if (delivery != null) {
            delivery.close();
        }
    }

    private JobQueue load() throws IOException {
        EngineConfig config = EngineConfig.builder(store, new String(OWNER)).transports(List.of(transport))
                .filesInParallel(4).checkpointInterval(Duration.ofMillis(50)).build();
        Persister persister = new Persister(store, lock);
        syncer = new Syncer();
        delivery = new EventDelivery("test-events");
        queue = new JobQueue(config, lock, persister, new Checkpointer(persister), syncer, delivery);
        queue.load(store);
        return queue;
    }

    private JobRow row(String id, JobState state, int errorCount, JobError error, String options) {
        // new String(...): the store hands each row its own copies, as SQLite does
        return new JobRow(new String(id), "job " + id, new String(""), JobType.DOWNLOAD, Priority.NORMAL,
                new String(OWNER), state, T0, T0, null, Duration.ofMinutes(10), Duration.ofDays(14), errorCount,
                error, new String(options));
    }

    private FileRow file(String jobId, String url) {
        String local = dir.resolve("out-" + jobId.substring(0, 8)).toString();
        return new FileRow(new String(jobId), 0, url, local, LocalFiles.tempPathFor(jobId, local), -1, 0, false,
                null, null, new String("{}"));
    }

    private static String id(int n) {
        return String.format("%08d-0000-4000-8000-000000000000", n);
    }

    @Test
    void idleJobsHoldNoRunningPartsAndShareTheirCommonValues() throws IOException {
        for (int n = 1; n <= 50; n++) {
            store.put(row(id(n), JobState.SUSPENDED, 0, null, "{}"), file(id(n), "gate://h/" + n));
        }
        load();
        synchronized (lock) {
            JobModel first = queue.find(id(1));
            JobModel last = queue.find(id(50));
            for (JobModel j : List.of(first, last)) {
                assertNull(j.pacer);
                assertNull(j.rate);
                assertNull(j.retryTimer);
                assertSame(Shared.EMPTY_OBJECT, j.options);
                assertSame(first.owner, j.owner, "one owner string for every job");
                assertSame(first.description, j.description);
                assertSame(j.id, j.files.get(0).jobId, "the file keeps its job's id, not a copy");
                assertSame(Validator.NONE, j.files.get(0).validator);
                assertSame(first.minRetryDelay, j.minRetryDelay);
            }
        }
        queue.schedule();
        queue.progressPass();
        assertEquals(50, queue.count(false));
        assertEquals(0, queue.inPlayCount(), "suspended jobs take no part in the passes");
    }

    @Test
    void aRunMakesThePacerAndRateMeterAndItsEndDropsThem() throws Exception {
        String id = id(7);
        store.put(row(id, JobState.SUSPENDED, 0, null, "{\"rate.max\":100000}"), file(id, "gate://h/a"));
        load();
        queue.resume(id);
        assertEquals(1, queue.inPlayCount());
        queue.schedule();
        transport.opened.await(10, TimeUnit.SECONDS);
        synchronized (lock) {
            JobModel job = queue.find(id);
            assertTrue(job.state.isRunning());
            assertNotNull(job.pacer, "a running job is paced");
            assertNotNull(job.rate);
            assertNull(job.retryTimer, "no error yet: no retry clock");
        }
        synchronized (lock) {
            assertEquals(100_000 / 16, queue.find(id).pacer.readBytes(1 << 20), "the new pacer has the job's cap");
        }
        transport.release.countDown();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queue.info(id).state() == JobState.TRANSFERRED);
        synchronized (lock) {
            JobModel job = queue.find(id);
            assertNull(job.pacer, "the run ended: its pacer went with it");
            assertNull(job.rate);
            assertEquals(0, job.toInfo(true, 0).bytesPerSecond());
        }
        queue.schedule();
        assertEquals(0, queue.inPlayCount(), "a transferred job leaves the passes");
        assertEquals(GateTransport.BODY.length, store.lastFile(id).bytesTransferred());
    }

    @Test
    void aTransientErrorMakesTheRetryTimerAndResumeDropsIt() throws Exception {
        String id = id(8);
        JobError busy = JobError.http(503, "HTTP 503", null);
        store.put(row(id, JobState.TRANSIENT_ERROR, 3, busy, "{}"), file(id, "gate://h/b"));
        load();
        synchronized (lock) {
            assertNotNull(queue.find(id).retryTimer, "a loaded TRANSIENT_ERROR job keeps counting to its retry");
        }
        assertEquals(1, queue.inPlayCount(), "it waits for its retry in the passes");
        queue.schedule(); // minimum retry delay of 10 minutes: it stays
        assertEquals(JobState.TRANSIENT_ERROR, queue.info(id).state());
        queue.suspend(id);
        queue.resume(id);
        synchronized (lock) {
            assertNull(queue.find(id).retryTimer, "resume starts the retry clocks afresh");
        }
        JobInfo info = queue.info(id);
        assertEquals(JobState.QUEUED, info.state());
        assertEquals(3, info.errorCount());
    }

    @Test
    void statesCountersOptionsAndFilesSurviveARestartUnchanged() throws IOException {
        JobError failed = new JobError(0x80190194, ErrorContext.REMOTE_FILE, "HTTP 404 for gate://h/c", 404, 0,
                false);
        String a = id(1);
        String b = id(2);
        String c = id(3);
        JobRow ra = withEventSeq(row(a, JobState.ERROR, 2, failed, "{\"rate.max\":5000}"), 4096);
        JobRow rb = row(b, JobState.SUSPENDED, 0, null, "{}");
        JobRow rc = row(c, JobState.TRANSFERRED, 1, null, "{\"notify.cmd\":\"true\"}");
        FileRow fa = new FileRow(a, 0, "gate://h/c", dir.resolve("c").toString(), dir.resolve("odd.tmp").toString(),
                1000, 400, false, "\"e1\"", "Tue, 01 Dec 2026 10:00:00 GMT", "{}");
        FileRow fb = file(b, "gate://h/d");
        String cLocal = dir.resolve("e").toString();
        FileRow fc = new FileRow(c, 0, "gate://h/e", cLocal, LocalFiles.tempPathFor(c, cLocal), 10, 10, true,
                "\"e2\"", null, "{}");
        store.put(ra, fa);
        store.put(rb, fb);
        store.put(rc, fc);
        Files.write(Path.of(fa.tempPath()), new byte[400]);
        Files.write(Path.of(fc.tempPath()), new byte[10]);
        load();
        synchronized (lock) {
            JobRow reloaded = queue.find(a).toRow();
            assertEquals(withoutEventSeq(ra), withoutEventSeq(reloaded));
            assertTrue(reloaded.eventSeq() >= 4096,
                    "event numbers never go back after a restart");
            assertEquals(rb, queue.find(b).toRow());
            assertEquals(rc, withoutEventSeq(queue.find(c).toRow()), "a TRANSFERRED job's owed event numbers aside");
            assertEquals(fa, queue.find(a).files.get(0).toRow(), "an unusual temporary name is kept as it is");
            assertEquals(fb, queue.find(b).files.get(0).toRow());
            assertEquals(fc, queue.find(c).files.get(0).toRow());
        }
        assertEquals(List.of(a, b, c), queue.infos(true).stream().map(JobInfo::id).toList());
        JobInfo summary = queue.infos(true, false).getFirst();
        assertEquals(List.of(), summary.files());
        assertEquals(queue.info(a).withoutFiles(), summary);
    }

    @Test
    void jobsComeOutInCreationOrderWhateverOrderTheStoreHandsThemOver() throws IOException {
        String late = id(1);
        String early = id(2);
        store.put(row(late, JobState.SUSPENDED, 0, null, "{}"), file(late, "gate://h/1"));
        JobRow earlyRow = row(early, JobState.SUSPENDED, 0, null, "{}");
        store.put(new JobRow(earlyRow.id(), earlyRow.name(), earlyRow.description(), earlyRow.type(),
                earlyRow.priority(), earlyRow.owner(), earlyRow.state(), T0.minusSeconds(60), T0, null,
                earlyRow.minRetryDelay(), earlyRow.noProgressTimeout(), 0, null, "{}"), file(early, "gate://h/2"));
        load();
        assertEquals(List.of(early, late), queue.infos(false).stream().map(JobInfo::id).toList());
    }

    private static JobRow withoutEventSeq(JobRow r) {
        return withEventSeq(r, 0);
    }

    private static JobRow withEventSeq(JobRow r, long eventSeq) {
        return new JobRow(r.id(), r.name(), r.description(), r.type(), r.priority(), r.owner(), r.state(),
                r.created(), r.modified(), r.transferCompleted(), r.minRetryDelay(), r.noProgressTimeout(),
                r.errorCount(), r.error(), r.options(), eventSeq);
    }

    /** Jobs and files in the order they were put; every write is kept as the last row of each file. */
    private static final class RowStore implements JobStore {
        private final List<StoredJob> jobs = new ArrayList<>();
        private final List<FileRow> written = new ArrayList<>();

        void put(JobRow job, FileRow... files) {
            jobs.add(new StoredJob(job, List.of(files)));
        }

        synchronized FileRow lastFile(String jobId) {
            for (int i = written.size() - 1; i >= 0; i--) {
                if (written.get(i).jobId().equals(jobId)) {
                    return written.get(i);
                }
            }
            throw new AssertionError("no file row written for " + jobId);
        }

        @Override
        public List<StoredJob> loadAll() {
            return List.copyOf(jobs);
        }

        @Override
        public synchronized void write(Batch batch) {
            written.addAll(batch.files());
        }

        @Override
        public void close() {
        }
    }

    /** gate:// URLs answer a small body once {@link #release} opens. */
    private static final class GateTransport implements Transport {
        static final byte[] BODY = "twelve bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final CountDownLatch opened = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public boolean handles(URI remote) {
            return "gate".equals(remote.getScheme());
        }

        @Override
        public RemoteBody open(RemoteRequest r) throws IOException {
            opened.countDown();
            try {
                if (!release.await(20, TimeUnit.SECONDS)) {
                    throw new IOException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            return new RemoteBody() {
                int pos;

                @Override
                public long offset() {
                    return 0;
                }

                @Override
                public Validator validator() {
                    return new Validator("\"g\"", null, BODY.length);
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
