package io.jbits.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jbits.api.BitsCodes;
import io.jbits.api.JbitsException;
import io.jbits.api.JobChanges;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.NewJob;
import io.jbits.api.Priority;
import io.jbits.spi.JobRow;
import io.jbits.spi.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A running engine lets go of cancelled and acknowledged jobs a day after their last change, as a start does. */
class FinalJobsTest {
    final MemoryStore store = new MemoryStore();
    final Time time = new Time();
    Engine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void aRunningEngineForgetsFinalJobsADayAfterTheirLastChange() throws Exception {
        engine = Engine.start(EngineConfig.builder(store, "alice").transports(List.of(new ScriptedTransport()))
                .clock(time).ticker(time).build());
        String old = engine.create(NewJob.download("old")).id();
        assertEquals(JobState.CANCELLED, engine.cancel(old).state());
        time.advance(Duration.ofHours(23));
        String recent = engine.create(NewJob.download("recent")).id();
        assertEquals(JobState.CANCELLED, engine.cancel(recent).state());
        String open = engine.create(NewJob.download("open")).id();
        assertEquals(Set.of(old, recent, open), listed());

        time.advance(Duration.ofHours(1).plusMinutes(2)); // "old" is a day and two minutes past its cancel
        engine.change(open, JobChanges.none().withPriority(Priority.HIGH)); // a change: the scheduler makes a pass

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> listed().equals(Set.of(recent, open)));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> stored().equals(Set.of(recent, open)));
        JbitsException gone = assertThrows(JbitsException.class, () -> engine.job(old));
        assertEquals(BitsCodes.BG_E_NOT_FOUND, gone.code());
        assertEquals(JobState.CANCELLED, engine.job(recent).state());
    }

    private Set<String> listed() {
        return engine.jobs(true).stream().map(JobInfo::id).collect(Collectors.toSet());
    }

    private Set<String> stored() {
        return store.loadAll().stream().map(s -> s.job()).map(JobRow::id).collect(Collectors.toSet());
    }

    /** A wall clock and a monotonic ticker that move together: now, plus what the test advanced them by. */
    static final class Time extends Clock implements Ticker {
        private volatile long offsetNanos;

        void advance(Duration d) {
            offsetNanos += d.toNanos();
        }

        @Override
        public long nanos() {
            return System.nanoTime() + offsetNanos;
        }

        @Override
        public Instant instant() {
            return Instant.now().plusNanos(offsetNanos);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
