package io.jbits.it;

import io.jbits.api.BitsCodes;
import io.jbits.api.JbitsException;
import io.jbits.api.JobEvent;
import io.jbits.api.JobInfo;
import io.jbits.api.JobListener;
import io.jbits.api.JobState;
import io.jbits.api.NewJob;
import io.jbits.api.Subscription;
import io.jbits.api.TransferManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an application sees of a {@link TransferManager}, run against every way in (embedded, connected): real
 * downloads from nginx, listeners, futures, re-attaching after a restart of the application.
 */
@Tag("e2e")
abstract class ManagerContract {
    static final int MIB = TestData.MIB;
    static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path data;
    @TempDir
    Path dest;
    Nginx nginx;
    TransferManager jobs;

    /** A manager on this test's state (a new engine on the same directory, or a new client of the service). */
    abstract TransferManager open() throws Exception;

    /** Stops whatever {@link #open} started beyond the manager (the service). */
    void stopAll() {
    }

    @BeforeEach
    final void startManager() throws Exception {
        nginx = Nginx.start(data, "1m");
        jobs = open();
    }

    @AfterEach
    final void stopManager() {
        try {
            if (jobs != null) {
                jobs.close();
            }
        } finally {
            try {
                stopAll();
            } finally {
                nginx.close();
            }
        }
    }

    /** The application restarts: its manager closes and a new one opens on the same state. */
    void restartApplication() throws Exception {
        jobs.close();
        jobs = open();
    }

    @Test
    void builderStartsAJobAndTheFutureCompletesIt() throws Exception {
        TestData.randomFile(data.resolve("a.bin"), 3L * MIB, 1);
        Path target = dest.resolve("a.bin");
        JobInfo job = jobs.download("builder").file(nginx.url("/a.bin"), target).start();
        assertTrue(job.state().isActive() || job.state() == JobState.TRANSFERRED, job.state().toString());
        JobInfo done = jobs.whenCompleted(job.id()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(JobState.ACKNOWLEDGED, done.state());
        assertEquals(TestData.sha256(data.resolve("a.bin")), TestData.sha256(target));
    }

    @Test
    void createAddResumeAndWaitForTransferred() throws Exception {
        TestData.randomFile(data.resolve("b.bin"), 2L * MIB, 2);
        JobInfo job = jobs.create(NewJob.download("explicit"));
        jobs.addFile(job.id(), nginx.url("/b.bin"), dest.resolve("b.bin").toString());
        var transferred = jobs.whenTransferred(job.id());
        jobs.resume(job.id());
        JobInfo t = transferred.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(JobState.TRANSFERRED, t.state());
        assertEquals(2L * MIB, t.bytesTransferred());
        jobs.complete(job.id());
        assertEquals(TestData.sha256(data.resolve("b.bin")), TestData.sha256(dest.resolve("b.bin")));
    }

    @Test
    void listenerSeesEveryStateOfItsJobInOrderThenTransferred() throws Exception {
        TestData.randomFile(data.resolve("c1.bin"), MIB, 3);
        TestData.randomFile(data.resolve("c2.bin"), MIB, 4);
        JobInfo job = jobs.create(NewJob.download("ordered"));
        jobs.addFile(job.id(), nginx.url("/c1.bin"), dest.resolve("c1.bin").toString());
        jobs.addFile(job.id(), nginx.url("/c2.bin"), dest.resolve("c2.bin").toString());
        List<JobEvent> seen = new CopyOnWriteArrayList<>();
        try (Subscription s = jobs.addListener(job.id(), Duration.ZERO, JobListener.of(seen::add))) {
            jobs.resume(job.id());
            await().atMost(TIMEOUT).until(() -> seen.stream().anyMatch(e -> e.kind() == JobEvent.Kind.TRANSFERRED));
            jobs.complete(job.id());
            await().atMost(TIMEOUT).until(() -> seen.getLast().state() == JobState.ACKNOWLEDGED);
        }
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i).seq() > seen.get(i - 1).seq(), "event numbers grow: " + seen);
        }
        List<JobState> states = seen.stream().filter(e -> e.change() == JobEvent.Change.STATE
                && e.kind() != JobEvent.Kind.FILE_TRANSFERRED).map(JobEvent::state).distinct().toList();
        assertEquals(JobState.QUEUED, states.getFirst(), states.toString());
        assertTrue(states.containsAll(List.of(JobState.CONNECTING, JobState.TRANSFERRING)), states.toString());
        assertEquals(List.of(JobState.TRANSFERRED, JobState.ACKNOWLEDGED), states.subList(states.size() - 2,
                states.size()));
        long files = seen.stream().filter(e -> e.kind() == JobEvent.Kind.FILE_TRANSFERRED).count();
        assertEquals(2, files, "one file-transferred event per file");
        int transferredAt = indexOf(seen, JobEvent.Kind.TRANSFERRED);
        assertTrue(seen.subList(0, transferredAt).stream().filter(e -> e.kind() == JobEvent.Kind.FILE_TRANSFERRED)
                .count() == 2, "both files before the job: " + seen);
        assertEquals(2L * MIB, seen.get(transferredAt).bytesTransferred());
    }

    @Test
    void a404GivesAnErrorEventAndFailsTheFuture() throws Exception {
        JobInfo job = jobs.create(NewJob.download("missing"));
        jobs.addFile(job.id(), nginx.url("/nothing-here.bin"), dest.resolve("x.bin").toString());
        List<JobEvent> errors = new CopyOnWriteArrayList<>();
        jobs.addListener(job.id(), new JobListener() {
            @Override
            public void jobError(JobEvent event) {
                errors.add(event);
            }
        });
        var future = jobs.whenTransferred(job.id());
        jobs.resume(job.id());
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        JbitsException e = assertInstanceOf(JbitsException.class, failed.getCause());
        assertEquals(BitsCodes.forHttpStatus(404), e.code());
        await().atMost(TIMEOUT).until(() -> !errors.isEmpty());
        assertEquals(JobState.ERROR, errors.getFirst().state());
        assertEquals(404, errors.getFirst().error().httpStatus());
    }

    @Test
    void progressComesNoMoreOftenThanTheListenerAsked() throws Exception {
        TestData.randomFile(data.resolve("p.bin"), 4L * MIB, 5);
        JobInfo job = jobs.create(NewJob.download("paced"));
        jobs.addFile(job.id(), nginx.url("/slow/p.bin"), dest.resolve("p.bin").toString());
        Duration interval = Duration.ofMillis(700);
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        List<Long> bytes = new CopyOnWriteArrayList<>();
        jobs.addListener(job.id(), interval, new JobListener() {
            @Override
            public void jobModified(JobEvent event) {
                if (event.isProgress()) {
                    arrivals.add(System.nanoTime());
                    bytes.add(event.bytesTransferred());
                }
            }
        });
        jobs.resume(job.id());
        jobs.whenTransferred(job.id()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(arrivals.size() >= 2, "progress events at 1 MiB/s over 4 MiB: " + arrivals.size());
        for (int i = 1; i < arrivals.size(); i++) {
            long gapMillis = (arrivals.get(i) - arrivals.get(i - 1)) / 1_000_000;
            assertTrue(gapMillis >= interval.toMillis() - 50, "progress " + gapMillis + " ms after the previous one");
            assertTrue(bytes.get(i) >= bytes.get(i - 1), "progress never goes back: " + bytes);
        }
    }

    @Test
    void aBlockedAndAThrowingListenerStopNeitherTheTransferNorOtherListeners() throws Exception {
        TestData.randomFile(data.resolve("q.bin"), 4L * MIB, 6);
        JobInfo job = jobs.create(NewJob.download("stubborn listeners"));
        jobs.addFile(job.id(), nginx.url("/slow/q.bin"), dest.resolve("q.bin").toString());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        List<JobEvent> blockedSaw = new CopyOnWriteArrayList<>();
        jobs.addListener(job.id(), Duration.ZERO, JobListener.of(e -> {
            blockedSaw.add(e);
            blocked.countDown();
            try {
                release.await();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }));
        AtomicInteger thrown = new AtomicInteger();
        jobs.addListener(job.id(), Duration.ZERO, JobListener.of(e -> {
            thrown.incrementAndGet();
            throw new IllegalStateException("a listener that always throws");
        }));
        List<JobEvent> healthy = new CopyOnWriteArrayList<>();
        jobs.addListener(job.id(), Duration.ZERO, JobListener.of(healthy::add));
        jobs.resume(job.id());
        assertTrue(blocked.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        // The blocked listener holds its thread: bytes keep moving and the healthy listener keeps hearing of them.
        await().atMost(TIMEOUT).until(() -> jobs.job(job.id()).bytesTransferred() > MIB);
        long progressSoFar = healthy.stream().filter(JobEvent::isProgress).count();
        await().atMost(TIMEOUT).until(() -> healthy.stream().filter(JobEvent::isProgress).count() > progressSoFar);
        JobInfo t = jobs.whenTransferred(job.id()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(4L * MIB, t.bytesTransferred());
        // Each listener hears on its own thread: the future may resolve before the healthy one has heard.
        await().atMost(TIMEOUT).until(() -> healthy.stream().anyMatch(e -> e.kind() == JobEvent.Kind.TRANSFERRED));
        assertTrue(thrown.get() > 1, "the throwing listener went on receiving events");
        assertEquals(1, blockedSaw.size(), "still blocked in its first event");
        release.countDown();
        // Released, it gets the state changes it missed (progress coalesced), the TRANSFERRED last.
        await().atMost(TIMEOUT).until(() -> blockedSaw.getLast().kind() == JobEvent.Kind.TRANSFERRED);
        long blockedProgress = blockedSaw.stream().filter(JobEvent::isProgress).count();
        assertTrue(blockedProgress <= 2, "coalesced progress, not a backlog: " + blockedProgress);
        assertTrue(blockedSaw.stream().anyMatch(e -> e.state() == JobState.TRANSFERRING && !e.isProgress()));
    }

    @Test
    void reattachesAfterTheApplicationRestartsAndHearsTransferredAgain() throws Exception {
        TestData.randomFile(data.resolve("r.bin"), 3L * MIB, 7);
        List<JobEvent> before = new CopyOnWriteArrayList<>();
        JobInfo job = jobs.download("reattach-me").file(nginx.url("/slow/r.bin"), dest.resolve("r.bin"))
                .listener(JobListener.of(before::add)).start();
        await().atMost(TIMEOUT).until(() -> jobs.job(job.id()).bytesTransferred() > 0 && !before.isEmpty());
        restartApplication();
        long lastSeqBefore = before.getLast().seq();
        List<JobInfo> found = jobs.jobsNamed("reattach-me");
        assertEquals(1, found.size());
        assertEquals(job.id(), found.getFirst().id());
        assertEquals(JobState.TRANSFERRED,
                jobs.whenTransferred(job.id()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).state());
        restartApplication();
        // A listener added after the fact still hears of TRANSFERRED, as BITS does: at least once.
        List<JobEvent> late = new CopyOnWriteArrayList<>();
        jobs.addListener(job.id(), JobListener.of(late::add));
        await().atMost(TIMEOUT).until(() -> late.stream().anyMatch(e -> e.kind() == JobEvent.Kind.TRANSFERRED));
        assertTrue(late.getFirst().seq() > lastSeqBefore, "event numbers grow across restarts: " + lastSeqBefore
                + " then " + late.getFirst().seq());
        jobs.complete(job.id());
        assertEquals(TestData.sha256(data.resolve("r.bin")), TestData.sha256(dest.resolve("r.bin")));
    }

    @Test
    void aManagerWideListenerHearsOfEveryJobEachInOrder() throws Exception {
        TestData.randomFile(data.resolve("m.bin"), MIB, 8);
        List<JobEvent> seen = new CopyOnWriteArrayList<>();
        try (Subscription s = jobs.addListener(null, Duration.ZERO, JobListener.of(seen::add))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(jobs.download("many-" + i).file(nginx.url("/m.bin"), dest.resolve("m" + i + ".bin"))
                        .start().id());
            }
            await().atMost(TIMEOUT).until(() -> ids.stream().allMatch(id -> seen.stream()
                    .anyMatch(e -> e.jobId().equals(id) && e.kind() == JobEvent.Kind.TRANSFERRED)));
        }
        Map<String, Long> last = new HashMap<>();
        for (JobEvent e : seen) {
            Long before = last.put(e.jobId(), e.seq());
            assertFalse(before != null && before >= e.seq(), "job " + e.jobId() + ": " + before + " then " + e.seq());
        }
    }

    static int indexOf(List<JobEvent> events, JobEvent.Kind kind) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).kind() == kind) {
                return i;
            }
        }
        throw new AssertionError("no " + kind + " in " + events);
    }
}
