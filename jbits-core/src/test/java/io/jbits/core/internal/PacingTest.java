package io.jbits.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.spi.BackgroundGovernor;
import io.jbits.spi.Bandwidth;
import io.jbits.core.policy.BandwidthPolicy;
import io.jbits.core.policy.Timetable;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Job pacers under the shared limits, on a fake clock whose sleeps advance time. */
class PacingTest {
    private static final long SECOND = 1_000_000_000L;
    private long now = 7 * SECOND;
    private final List<Sample> samples = new ArrayList<>();
    private BackgroundGovernor.Decision decision = BackgroundGovernor.Decision.UNLIMITED;
    private Clock wall = Clock.fixed(LocalDateTime.of(2026, 11, 24, 10, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);

    record Sample(long bg, long fg, Set<URI> remotes) {
    }

    /** The wall clock the tests move ({@link #wall}). */
    private final Clock movingWall = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return wall.instant();
        }
    };

    private final Pacing pacing = new Pacing(() -> now, movingWall, ZoneOffset.UTC, (t, bg, fg, remotes) -> {
        samples.add(new Sample(bg, fg, remotes));
        return decision;
    }, nanos -> {
        now += nanos;
        return true;
    });

    /** Reads with {@code pacer} for {@code nanos} of fake time, every read filled; returns the bytes moved. */
    private long readFor(JobPacer pacer, long nanos) {
        long end = now + nanos;
        long moved = 0;
        while (now < end) {
            int want = pacer.readBytes(256 * 1024);
            JobPacer.Grant g = pacer.acquire(want, () -> false);
            pacer.used(g, want);
            moved += want;
        }
        return moved;
    }

    /** One read of {@code pacer}; returns how long it waited. */
    private long oneRead(JobPacer pacer) {
        long start = now;
        int want = pacer.readBytes(256 * 1024);
        pacer.used(pacer.acquire(want, () -> false), want);
        return now - start;
    }

    /**
     * Pacing under a governor that learns nothing from idle ticks (as the service's scavenger, or scavenging off):
     * it records what it is asked in {@code asked} and answers {@code answer}.
     */
    private Pacing pacingWithoutIdleTicks(List<Sample> asked, BackgroundGovernor.Decision answer) {
        return new Pacing(() -> now, movingWall, ZoneOffset.UTC, new BackgroundGovernor() {
            @Override
            public Decision update(long nowNanos, long bg, long fg, Set<URI> remotes) {
                asked.add(new Sample(bg, fg, remotes));
                return answer;
            }

            @Override
            public boolean learnsWhileIdle() {
                return false;
            }
        }, nanos -> {
            now += nanos;
            return true;
        });
    }

    private JobPacer job(boolean foreground, Bandwidth cap) {
        JobPacer p = pacing.newJob();
        p.foreground(foreground);
        p.cap(cap);
        return p;
    }

    @Test
    void aJobGoesAtTheLowestOfItsCapTheBackgroundLimitAndTheLimit() {
        pacing.setPolicy(BandwidthPolicy.NONE.withLimit(Timetable.parse("4M")).withBackgroundLimit(
                Timetable.parse("1M")));
        JobPacer capped = job(false, Bandwidth.parse("256k"));
        assertEquals(10 * 256 * 1024, readFor(capped, 10 * SECOND), 64 * 1024);
        assertEquals("job cap 256 KiB/s", capped.heldBack());

        JobPacer background = job(false, Bandwidth.UNLIMITED);
        assertEquals(10 << 20, readFor(background, 10 * SECOND), 128 * 1024);
        assertEquals("background limit 1 MiB/s", background.heldBack());

        JobPacer foreground = job(true, Bandwidth.UNLIMITED);
        assertEquals(10 * (4 << 20), readFor(foreground, 10 * SECOND), 768 * 1024);
        assertEquals("limit 4 MiB/s", foreground.heldBack());
    }

    @Test
    void aCapChangeAppliesToTheRunningReader() {
        JobPacer p = job(false, Bandwidth.parse("1k"));
        JobPacer.Grant g = p.acquire(1024, () -> false); // the first read waits a second at 1 KiB/s
        p.used(g, 1024);
        long t0 = now;
        p.cap(Bandwidth.parse("1M"));
        assertEquals(10 << 20, readFor(p, 10 * SECOND), 128 * 1024);
        assertTrue(now - t0 < 10 * SECOND + SECOND / 10);
        p.cap(Bandwidth.UNLIMITED);
        assertEquals(0, oneRead(p), "no cap: no wait");
        now += 2 * SECOND;
        assertNull(p.heldBack(), "nothing held it back in the last second");
    }

    @Test
    void theScheduleSetsTheBackgroundLimitByTimeOfDay() {
        pacing.setPolicy(BandwidthPolicy.NONE.withBackgroundLimit(Timetable.parse("Mon-Fri 08:00,512k 18:00,off")));
        JobPacer p = job(false, Bandwidth.UNLIMITED);
        assertEquals(5 * 512 * 1024, readFor(p, 5 * SECOND), 64 * 1024);
        assertEquals("background limit 512 KiB/s (schedule Mon-Fri 08:00-18:00)", p.heldBack());
        assertEquals(Bandwidth.parse("512k"), pacing.status().backgroundLimit());

        wall = Clock.fixed(LocalDateTime.of(2026, 11, 24, 18, 30).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        pacing.tick();
        assertEquals(Bandwidth.UNLIMITED, pacing.status().backgroundLimit());
        oneRead(p);
        assertEquals(0, oneRead(p));
    }

    @Test
    void theGovernorSeesWhatMovedAndHoldsBackgroundJobsButNeverForegroundOnes() {
        pacing.setPolicy(BandwidthPolicy.NONE.withBackgroundLimit(Timetable.parse("4M")));
        JobPacer bg = job(false, Bandwidth.UNLIMITED);
        JobPacer fg = job(true, Bandwidth.UNLIMITED);
        URI remote = URI.create("http://example.test/big.iso");
        try (Pacing.Registration r = bg.moving(remote); Pacing.Registration r2 = fg.moving(URI.create("http://f/x"))) {
            pacing.moved(3000, false);
            pacing.moved(5000, true);
            decision = new BackgroundGovernor.Decision(256 * 1024, "queuing delay 80 ms");
            pacing.tick();
        }
        Sample s = samples.getLast();
        assertEquals(3000, s.bg());
        assertEquals(5000, s.fg());
        assertEquals(Set.of(remote), s.remotes());
        assertEquals(5 * 256 * 1024, readFor(bg, 5 * SECOND), 64 * 1024);
        assertEquals("queuing delay 80 ms", bg.heldBack());
        assertEquals(0, oneRead(fg) + oneRead(fg), "the governor never paces a foreground job");

        pacing.tick(); // nothing running now
        assertEquals(Set.of(), samples.getLast().remotes());
    }

    @Test
    void theReceiveBufferFollowsTheTightestLimitWithinItsBounds() {
        JobPacer fg = job(true, Bandwidth.UNLIMITED);
        JobPacer bg = job(false, Bandwidth.UNLIMITED);
        assertEquals(JobPacer.MAX_RECEIVE_BUFFER, fg.receiveBufferBytes(SECOND / 10));
        assertEquals(JobPacer.BACKGROUND_RECEIVE_BUFFER, bg.receiveBufferBytes(SECOND / 10));
        bg.cap(Bandwidth.parse("256k"));
        assertEquals(JobPacer.MIN_RECEIVE_BUFFER, bg.receiveBufferBytes(SECOND / 10), "2 x 25.6 KiB: the floor");
        pacing.setPolicy(BandwidthPolicy.NONE.withLimit(Timetable.parse("4M")));
        assertEquals(1 << 20, fg.receiveBufferBytes(SECOND / 10), "2 x 4 MiB/s x 100 ms = 800 KiB, rounded up");
        assertEquals(512 * 1024, fg.receiveBufferBytes(0), "a round trip counts as at least 50 ms");
        fg.cap(Bandwidth.parse("64M"));
        assertEquals(1 << 20, fg.receiveBufferBytes(SECOND / 10), "the policy's limit is tighter than the cap");
    }

    /**
     * With a governor that learns nothing from idle ticks (the service's scavenger, scavenging off, or an embedded
     * engine without one), an idle engine does not tick: a transfer that starts after such a pause asks the governor and the timetable
     * itself, before its first byte.
     */
    @Test
    void aTransferThatStartsWhileTheTicksPauseFindsTheLimitsOfTheMoment() {
        List<Sample> asked = new ArrayList<>();
        Pacing idle = pacingWithoutIdleTicks(asked, BackgroundGovernor.Decision.UNLIMITED);
        idle.setPolicy(BandwidthPolicy.NONE.withBackgroundLimit(Timetable.parse("Mon-Fri 08:00,512k 18:00,off")));
        JobPacer p = idle.newJob();
        p.foreground(false);
        p.cap(Bandwidth.UNLIMITED);
        assertEquals(Bandwidth.parse("512k"), idle.status().backgroundLimit());

        // an idle engine does not tick: the evening comes without one
        wall = Clock.fixed(LocalDateTime.of(2026, 11, 24, 18, 30).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        now += 3600 * SECOND;
        URI remote = URI.create("http://example.test/evening.iso");
        try (Pacing.Registration r = p.moving(remote)) {
            assertEquals(1, asked.size(), "the governor is asked before the first byte");
            assertEquals(Set.of(remote), asked.getLast().remotes());
            assertEquals(Bandwidth.UNLIMITED, idle.status().backgroundLimit());
            oneRead(p);
            assertEquals(0, oneRead(p), "no limit after 18:00");
        }
        // a governor that learns while idle is ticked by the engine: a transfer does not ask it itself
        int before = samples.size();
        now += 3600 * SECOND;
        try (Pacing.Registration r = job(false, Bandwidth.UNLIMITED).moving(remote)) {
            assertEquals(before, samples.size());
        }
    }

    /**
     * The first connection of a background job after a pause (or in a new service) takes its receive buffer from the
     * governor's rate of the moment: with the buffer of an unlimited job, the kernel took a megabyte in ahead of the
     * paced reads, and that burst filled the shaped link's queue before the scavenger's first round trip.
     */
    @Test
    void aConnectionAfterAPauseTakesItsReceiveBufferFromTheGovernorsRateOfTheMoment() {
        List<Sample> asked = new ArrayList<>();
        Pacing idle = pacingWithoutIdleTicks(asked, new BackgroundGovernor.Decision(64 * 1024, "slow start"));
        JobPacer p = idle.newJob();
        p.foreground(false);
        p.cap(Bandwidth.UNLIMITED);
        assertEquals(JobPacer.MIN_RECEIVE_BUFFER, p.receiveBufferBytes(SECOND / 10),
                "2 x 64 KiB/s x 100 ms, at the floor; not the 1 MiB of an unlimited background job");
        assertEquals(1, asked.size(), "the governor is asked before the connection");
        assertEquals(JobPacer.MIN_RECEIVE_BUFFER, p.receiveBufferBytes(SECOND / 10));
        assertEquals(1, asked.size(), "not again within a tick");
        now += 3600 * SECOND;
        p.receiveBufferBytes(SECOND / 10);
        assertEquals(2, asked.size(), "again after a pause");
    }
}
