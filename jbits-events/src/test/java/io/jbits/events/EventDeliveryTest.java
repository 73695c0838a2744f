package io.jbits.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.JobEvent;
import io.jbits.api.JobListener;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventDeliveryTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final EventDelivery delivery = new EventDelivery("test", nanos::get);

    @AfterEach
    void close() {
        delivery.close();
    }

    private static JobEvent state(String job, long seq, JobState s) {
        JobEvent.Kind kind = s == JobState.TRANSFERRED ? JobEvent.Kind.TRANSFERRED : JobEvent.Kind.MODIFIED;
        return new JobEvent(kind, job, seq, Instant.EPOCH, JobEvent.Change.STATE, s, 100, seq, 1, 0, null, -1, 0);
    }

    private static JobEvent progress(String job, long seq) {
        return new JobEvent(JobEvent.Kind.MODIFIED, job, seq, Instant.EPOCH, JobEvent.Change.PROGRESS,
                JobState.TRANSFERRING, 100, seq, 1, 0, null, -1, 0);
    }

    @Test
    void progressIsCoalescedToTheNewestAndPacedByTheListenersInterval() {
        List<Long> got = new CopyOnWriteArrayList<>();
        delivery.subscribe(null, Duration.ofMillis(500), JobListener.of(e -> got.add(e.seq())), List.of());
        delivery.publish(progress("a", 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);
        delivery.publish(progress("a", 2));
        delivery.publish(progress("a", 3));
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(499));
        delivery.publish(progress("a", 4));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> got.size() == 1);
        delivery.publish(progress("a", 5)); // before the interval ends: the delivery may look at any moment
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 2);
        assertEquals(List.of(1L, 5L), got);
    }

    @Test
    void aBlockedListenerLosesOnlyProgressNeverAStateChangeAndGetsThemInOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<JobEvent> got = new CopyOnWriteArrayList<>();
        delivery.subscribe("a", Duration.ZERO, JobListener.of(e -> {
            got.add(e);
            try {
                release.await();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }), List.of());
        delivery.publish(state("a", 1, JobState.QUEUED));
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);
        long seq = 2;
        for (int i = 0; i < 50; i++) {
            for (int p = 0; p < 100; p++) {
                delivery.publish(progress("a", seq++));
            }
            delivery.publish(state("a", seq++, i % 2 == 0 ? JobState.TRANSIENT_ERROR : JobState.TRANSFERRING));
            delivery.publish(state("b", seq++, JobState.QUEUED)); // another job's: not this listener's
        }
        delivery.publish(state("a", seq, JobState.TRANSFERRED));
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> got.getLast().kind() == JobEvent.Kind.TRANSFERRED);
        List<JobEvent> states = got.stream().filter(e -> !e.isProgress()).toList();
        assertEquals(52, states.size());
        assertTrue(got.stream().allMatch(e -> e.jobId().equals("a")));
        assertTrue(got.size() - states.size() <= 1, "progress coalesced: " + (got.size() - states.size()));
        for (int i = 1; i < got.size(); i++) {
            assertTrue(got.get(i).seq() > got.get(i - 1).seq());
        }
    }

    @Test
    void aListenerGetsOnlyTheKindsItAsksFor() {
        List<JobEvent> got = new CopyOnWriteArrayList<>();
        delivery.subscribe(null, Duration.ZERO, JobListener.of(EnumSet.of(JobEvent.Kind.TRANSFERRED,
                JobEvent.Kind.MODIFIED), got::add), List.of());
        for (int i = 1; i <= 100; i++) {
            delivery.publish(new JobEvent(JobEvent.Kind.FILE_TRANSFERRED, "a", i, Instant.EPOCH, JobEvent.Change.STATE,
                    JobState.TRANSFERRING, 100, i, 100, i, null, i - 1, 0));
        }
        delivery.publish(state("a", 101, JobState.TRANSFERRED));
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> got.size() == 1);
        assertEquals(JobEvent.Kind.TRANSFERRED, got.getFirst().kind());
        assertEquals(101L, got.getFirst().seq());
    }

    @Test
    void anEventNotNewerThanTheLastOneOfItsJobIsDropped() {
        List<Long> got = new CopyOnWriteArrayList<>();
        JobEvent owed = state("a", 5, JobState.TRANSFERRED);
        delivery.subscribe(null, Duration.ZERO, JobListener.of(e -> got.add(e.seq())), List.of(owed));
        delivery.publish(owed); // the same event, published again: a duplicate
        delivery.publish(state("a", 3, JobState.TRANSFERRING)); // older: stale
        delivery.publish(state("a", 6, JobState.ACKNOWLEDGED));
        await().atMost(Duration.ofSeconds(5)).until(() -> got.contains(6L));
        assertEquals(List.of(5L, 6L), got);
    }

    @Test
    void aListenerThatThrowsOnTransferredGetsItAgainLater() {
        EventDelivery real = new EventDelivery("real-time");
        try {
            AtomicInteger calls = new AtomicInteger();
            real.subscribe(null, Duration.ZERO, new JobListener() {
                @Override
                public void jobTransferred(JobEvent event) {
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("not now");
                    }
                }
            }, List.of());
            real.publish(state("a", 1, JobState.TRANSFERRED));
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 2);
            await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 2);
        } finally {
            real.close();
        }
    }
}
