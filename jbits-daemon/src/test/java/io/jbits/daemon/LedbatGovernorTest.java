package io.jbits.daemon;

import io.jbits.spi.BackgroundGovernor.Decision;
import io.jbits.spi.BackgroundGovernor.Status;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scavenger's decisions, driven by a fake clock and scripted round trips and counters. */
class LedbatGovernorTest {
    private static final long MS = 1_000_000L;
    private static final long STEP = 100 * MS;
    private static final Set<URI> REMOTES = Set.of(URI.create("http://10.0.0.1/f"));
    private static final LedbatGovernor.Settings SETTINGS = LedbatGovernor.Settings.defaults();
    private static final long FLOOR = SETTINGS.floorBytesPerSecond();
    private static final long LINK = 2_500_000;

    private long now = 1_000_000_000L;
    private long rx;
    private final LedbatGovernor governor = new LedbatGovernor(SETTINGS, now);

    /**
     * One 100 ms step on a 20 Mbit/s link in which background jobs use all of the rate they were given (up to what
     * the link leaves them), nothing else moves on the link, and the round trip is {@code rttMs}.
     */
    private Decision step(Decision last, double rttMs) {
        return step(last, rttMs, 0, 0);
    }

    /** A step with {@code othersPerSecond} of someone else's traffic and our foreground bytes on the link. */
    private Decision step(Decision last, double rttMs, long othersPerSecond, long foregroundPerSecond) {
        now += STEP;
        long fg = foregroundPerSecond / 10;
        long bg = Math.max(0, Math.min(last.bytesPerSecond() / 10, LINK / 10 - fg - othersPerSecond / 10));
        rx += Math.round((bg + fg) * LedbatGovernor.HEADER_ALLOWANCE) + othersPerSecond / 10;
        governor.roundTrip(now - 50 * MS, Duration.ofNanos(Math.round(rttMs * MS)));
        governor.linkCounters(rx, rx / 30, 0);
        return governor.update(now, bg, fg, REMOTES);
    }

    private Decision run(Decision from, int steps, double rttMs) {
        Decision d = from;
        for (int i = 0; i < steps; i++) {
            d = step(d, rttMs);
        }
        return d;
    }

    @Test
    void slowStartMultipliesTheRateWhileTheQueueStaysEmpty() {
        Decision d = step(new Decision(0, null), 10);
        long start = d.bytesPerSecond();
        d = run(d, 10, 10);
        assertTrue(d.bytesPerSecond() > 20 * start, "a second of slow start multiplies the rate: " + start + " -> "
                + d.bytesPerSecond());
        assertEquals("slow start, queuing delay 0 ms", d.reason());
    }

    @Test
    void aQueuingDelayOverTheTargetCutsTheRateAtMostByHalfAndSaysWhy() {
        Decision d = run(new Decision(0, null), 30, 10);   // the whole link used for a second
        int samples = SETTINGS.currentSamples();
        d = run(d, samples - 1, 10 + 150);   // the filter is the least of the last few round trips
        long before = d.bytesPerSecond();
        d = step(d, 10 + 150);
        assertTrue(d.bytesPerSecond() < before, "cut: " + before + " -> " + d.bytesPerSecond());
        assertTrue(d.bytesPerSecond() >= LINK / 2, "at most half of what the jobs used at once: " + before + " -> "
                + d.bytesPerSecond());
        assertEquals("queuing delay 150 ms", d.reason());
        d = run(d, 20, 10 + 150);
        assertTrue(d.bytesPerSecond() < before / 8, "keeps cutting while the queue stays: " + d.bytesPerSecond());
    }

    @Test
    void oneSlowRoundTripAmongFastOnesCutsNothing() {
        Decision d = run(new Decision(0, null), 15, 10);
        long before = d.bytesPerSecond();
        d = step(d, 300);
        assertTrue(d.bytesPerSecond() >= before, "a scheduling hiccup is no queue: " + d);
        assertTrue(d.reason().endsWith("queuing delay 0 ms"), d.reason());
    }

    @Test
    void belowTheTargetTheRateGrowsMoreSlowlyTheCloserTheQueueIs() {
        Decision d = run(new Decision(0, null), 5, 10);   // still below the link
        d = run(d, SETTINGS.currentSamples(), 10 + 70);   // leaves slow start
        long r0 = d.bytesPerSecond();
        Decision near = run(d, 10, 10 + 50);
        assertTrue(near.bytesPerSecond() > r0, "grows below the target: " + r0 + " -> " + near.bytesPerSecond());
        assertTrue(near.bytesPerSecond() < r0 * 1.2, "but slowly near it: " + r0 + " -> " + near.bytesPerSecond());
        assertEquals("queuing delay 50 ms", near.reason());
    }

    @Test
    void theRateDoesNotGrowWhenBackgroundJobsDoNotUseIt() {
        Decision d = run(new Decision(0, null), 5, 10);
        long given = 0;
        for (int i = 0; i < 30; i++) {
            now += STEP;
            governor.roundTrip(now, Duration.ofMillis(10));
            d = governor.update(now, 1_000, 0, REMOTES);   // 10 kB/s, far below what it may use
            given = i == 5 ? d.bytesPerSecond() : given;
        }
        assertEquals(given, d.bytesPerSecond(), "a job limited elsewhere banks no rate");
    }

    @Test
    void competingTrafficCutsBackgroundToATrickleAndItComesBackWhenTheTrafficEnds() {
        Decision d = run(new Decision(0, null), 30, 10);
        for (int i = 0; i < 5; i++) {
            d = step(d, 10, 2_000_000, 0);   // 16 Mbit/s of someone else's download
        }
        assertEquals(FLOOR, d.bytesPerSecond(), "a trickle while others need the link");
        assertTrue(d.reason().startsWith("competing traffic ") && d.reason().endsWith(" Mbit/s"), d.reason());
        for (int i = 0; i < 10; i++) {
            d = step(d, 10, 2_000_000, 0);
        }
        assertEquals("competing traffic 16.0 Mbit/s", d.reason());
        d = run(d, 40, 10);
        assertTrue(d.bytesPerSecond() >= LINK, "back to the whole link within 4 s: " + d);
        assertTrue(d.reason().endsWith("queuing delay 0 ms"), d.reason());
    }

    @Test
    void ourOwnHeadersAreNoCompetingTraffic() {
        Decision d = run(new Decision(0, null), 40, 10);
        assertTrue(d.bytesPerSecond() > 1_000_000, "the header allowance keeps our traffic ours: " + d);
    }

    @Test
    void bytesWaitingUnreadInTheKernelAreNoCompetingTraffic() {
        Decision d = run(new Decision(0, null), 30, 10);
        long unread = 0;
        for (int i = 0; i < 10; i++) {   // the jobs read little while the link still fills their receive buffers
            now += STEP;
            unread += LINK / 10 - 10_000;
            rx += Math.round(LINK / 10 * LedbatGovernor.HEADER_ALLOWANCE);
            governor.roundTrip(now, Duration.ofMillis(10));
            governor.linkCounters(rx, rx / 30, unread);
            d = governor.update(now, 10_000, 0, REMOTES);
            assertTrue(d.reason() == null || !d.reason().startsWith("competing"), "step " + i + ": " + d);
        }
    }

    @Test
    void foregroundJobsTakeTheLinkFromBackgroundJobs() {
        Decision d = run(new Decision(0, null), 30, 10);
        for (int i = 0; i < 10; i++) {
            d = step(d, 10, 0, 2_500_000);
        }
        assertEquals(new Decision(FLOOR, "foreground jobs 20.0 Mbit/s"), d);
    }

    @Test
    void aPeriodicSlowdownDropsToTheFloorThenClimbsBackToTheOldRate() {
        Decision d = run(new Decision(0, null), 15, 10);
        d = run(d, SETTINGS.currentSamples(), 10 + 70);   // into congestion avoidance
        long steps = SETTINGS.slowdownInterval().toNanos() / STEP;
        long highest = 0;
        Decision slowdown = null;
        for (int i = 0; i < steps + 5 && slowdown == null; i++) {
            highest = d.bytesPerSecond();
            d = step(d, 10 + 40);
            if (d.bytesPerSecond() == FLOOR) {
                slowdown = d;
            }
        }
        assertEquals(new Decision(FLOOR, "re-measuring the idle round trip"), slowdown, "a slowdown within a minute");
        long frozen = SETTINGS.slowdownLength().toNanos() / STEP;
        for (int i = 0; i < frozen - 1; i++) {
            d = step(d, 10);
            assertEquals(FLOOR, d.bytesPerSecond(), "stays at the floor for the slowdown's length");
        }
        d = run(d, 30, 10);
        long old = Math.min(highest, 2 * LINK);   // slow start gives at most twice what the jobs use
        assertTrue(d.bytesPerSecond() >= old * 0.95, "slow start returns to the old rate: " + highest + " -> " + d);
    }

    @Test
    void theBaseDelayIsTheLeastRoundTripOfTheLastMinutes() {
        LedbatGovernor.DelayFilter filter = new LedbatGovernor.DelayFilter(SETTINGS);
        long t = 0;
        filter.add(t, 20 * MS);
        t += Duration.ofMinutes(2).toNanos();
        filter.add(t, 50 * MS);
        assertEquals(30 * MS, filter.queuingDelay(t), "base 20 ms from two minutes ago");
        for (int i = 0; i < 10; i++) {
            t += Duration.ofMinutes(1).toNanos();
            filter.add(t, 50 * MS);
        }
        assertEquals(0, filter.queuingDelay(t), "ten minutes later the old base is forgotten");
        assertEquals(0, filter.queuingDelay(t + Duration.ofSeconds(5).toNanos()) , "stale samples say nothing");
    }

    @Test
    void theStatusShowsTheCompetingTrafficTheQueuingDelayAndTheTargetOfTheLatestUpdate() {
        assertEquals(Optional.empty(), governor.status(), "nothing measured before the first update");
        Decision d = run(new Decision(0, null), 30, 10);
        for (int i = 0; i < 15; i++) {
            d = step(d, 10, 2_000_000, 0);
        }
        Status s = governor.status().orElseThrow();
        assertEquals(2_000_000, s.competingBytesPerSecond(), 2_000_000 / 50, s.toString());
        assertEquals(Duration.ZERO, s.queuingDelay());
        assertEquals(Duration.ofMillis(60), s.target());
        assertEquals(FLOOR, s.allowedBytesPerSecond());
        assertEquals("competing traffic 16.0 Mbit/s", s.reason());
        d = run(d, 40, 10);
        d = run(d, SETTINGS.currentSamples(), 10 + 150);
        s = governor.status().orElseThrow();
        assertEquals(0, s.competingBytesPerSecond(), s.toString());
        assertEquals(Duration.ofMillis(150), s.queuingDelay());
        assertEquals(d.bytesPerSecond(), s.allowedBytesPerSecond());
        assertEquals("queuing delay 150 ms", s.reason());
    }

    @Test
    void withoutAnyRemoteTheGovernorKeepsItsRate() {
        Decision d = run(new Decision(0, null), 10, 10);
        now += STEP;
        assertEquals(d.bytesPerSecond(), governor.update(now, 0, 0, Set.of()).bytesPerSecond());
    }

    /**
     * A fluid model of a 20 Mbit/s link with a deep FIFO and a receiver with a 512 KiB buffer (the sender keeps
     * queue plus unread bytes at that window): background jobs keep the link nearly full with a bounded queue, and
     * give it up to a greedy flow that arrives.
     */
    @Test
    void onASimulatedBottleneckBackgroundFillsTheLinkWithABoundedQueueAndYieldsToAGreedyFlow() {
        double capacity = 2_500_000;
        double window = 512 * 1024;
        double queue;
        double unread = 0;
        double bgBytes = 0;
        double queueMsSum = 0;
        Decision d = new Decision(0, null);
        for (int i = 0; i < 600; i++) {   // 60 s alone, in steps of 10 ms
            double read = 0;
            double arrived = 0;
            double queueMs = 0;
            for (int k = 0; k < 10; k++) {
                double inFlight = window - unread;                  // the sender keeps the window full
                double delivered = Math.min(inFlight, capacity * 0.01);
                unread += delivered;
                arrived += delivered;
                double r = Math.min(unread, d.bytesPerSecond() * 0.01);   // reads paced at the decided rate
                unread -= r;
                read += r;
                queueMs = Math.max(0, window - unread - capacity * 0.005) / capacity * 1000;
            }
            queue = queueMs * capacity / 1000;
            if (i >= 100) {
                bgBytes += read;
                queueMsSum += queue / capacity * 1000;
            }
            now += STEP;
            rx += Math.round(arrived * LedbatGovernor.HEADER_ALLOWANCE);
            governor.roundTrip(now, Duration.ofNanos(Math.round((5 + queueMs) * MS)));
            governor.linkCounters(rx, 0, Math.round(unread));
            d = governor.update(now, Math.round(read), 0, REMOTES);
            if (System.getenv("TRACE") != null) {
                System.out.printf("%d %d %.0f %.1f%n", i, d.bytesPerSecond(), read * 10, queue / capacity * 1000);
            }
        }
        double utilisation = bgBytes / (capacity * 50);
        assertTrue(utilisation >= 0.9, "fills the link: " + utilisation);
        assertTrue(queueMsSum / 500 < SETTINGS.target().toMillis(), "queues less than the target on average: "
                + queueMsSum / 500 + " ms");
        for (int i = 0; i < 30; i++) {   // a greedy flow takes 80% of the link and wants more
            double greedy = capacity * 0.08;
            double bgRead = Math.min(d.bytesPerSecond() * 0.1, capacity * 0.1 - greedy);
            now += STEP;
            rx += Math.round((bgRead + greedy) * LedbatGovernor.HEADER_ALLOWANCE);
            governor.roundTrip(now, Duration.ofMillis(5 + 100));
            governor.linkCounters(rx, 0, 0);
            d = governor.update(now, Math.round(bgRead), 0, REMOTES);
        }
        assertEquals(FLOOR, d.bytesPerSecond(), "a trickle beside the greedy flow: " + d);
    }
}
