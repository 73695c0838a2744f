package io.jbits.core.internal;

import static io.jbits.api.JobState.*;
import static io.jbits.api.Priority.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jbits.core.internal.Scheduler.Entry;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private static final long SLICE = 300L * 1_000_000_000L;
    private final Scheduler scheduler = new Scheduler(1, SLICE);

    @Test
    void everyForegroundJobStartsAtOnceBesideOneBackgroundJob() {
        var d = scheduler.decide(List.of(
                new Entry("low", LOW, TRANSFERRING, 0, 0),
                new Entry("fg1", FOREGROUND, QUEUED, 1, 0),
                new Entry("fg2", FOREGROUND, QUEUED, 2, 0)), 10);
        assertEquals(List.of("fg1", "fg2"), d.start());
        assertEquals(List.of(), d.preempt());
    }

    @Test
    void aHigherPriorityPreemptsALowerOne() {
        var d = scheduler.decide(List.of(
                new Entry("normal", NORMAL, TRANSFERRING, 0, 0),
                new Entry("high", HIGH, QUEUED, 5, 0)), 10);
        assertEquals(List.of("high"), d.start());
        assertEquals(List.of("normal"), d.preempt());
    }

    @Test
    void aLowerPriorityWaitsForTheHigherOne() {
        var d = scheduler.decide(List.of(
                new Entry("high", HIGH, TRANSFERRING, 3, 0),
                new Entry("low", LOW, QUEUED, 0, 0)), 10);
        assertEquals(List.of(), d.start());
        assertEquals(List.of(), d.preempt());
    }

    @Test
    void equalPrioritiesTakeTurnsWhenTheSliceEnds() {
        List<Entry> q = List.of(
                new Entry("a", NORMAL, TRANSFERRING, 0, 0),
                new Entry("b", NORMAL, QUEUED, 1, 0));
        assertEquals(List.of(), scheduler.decide(q, SLICE - 1).preempt());
        assertEquals(List.of("a"), scheduler.decide(q, SLICE).preempt());
        // a is back at the end of the queue: b starts
        var d = scheduler.decide(List.of(
                new Entry("a", NORMAL, QUEUED, 2, 0),
                new Entry("b", NORMAL, QUEUED, 1, 0)), SLICE);
        assertEquals(List.of("b"), d.start());
    }

    @Test
    void aJobAloneKeepsRunningPastItsSlice() {
        var d = scheduler.decide(List.of(new Entry("a", LOW, TRANSFERRING, 0, 0)), 10 * SLICE);
        assertEquals(List.of(), d.preempt());
    }

    @Test
    void suspendedAndFailedJobsNeitherRunNorBlock() {
        var d = scheduler.decide(List.of(
                new Entry("s", HIGH, SUSPENDED, 0, 0),
                new Entry("e", HIGH, ERROR, 1, 0),
                new Entry("t", HIGH, TRANSIENT_ERROR, 2, 0),
                new Entry("low", LOW, QUEUED, 3, 0)), 10);
        assertEquals(List.of("low"), d.start());
    }

    @Test
    void theBackgroundCapIsASetting() {
        var d = new Scheduler(2, SLICE).decide(List.of(
                new Entry("a", NORMAL, QUEUED, 0, 0),
                new Entry("b", LOW, QUEUED, 1, 0),
                new Entry("c", LOW, QUEUED, 2, 0)), 10);
        assertEquals(List.of("a", "b"), d.start());
    }

    @Test
    void timeLeftInTheSliceTellsTheSchedulerWhenToLookAgain() {
        assertEquals(SLICE - 10, scheduler.nanosUntilSliceEnd(List.of(new Entry("a", LOW, TRANSFERRING, 0, 0)), 10));
        assertEquals(-1, scheduler.nanosUntilSliceEnd(List.of(new Entry("f", FOREGROUND, TRANSFERRING, 0, 0)), 10));
    }
}
