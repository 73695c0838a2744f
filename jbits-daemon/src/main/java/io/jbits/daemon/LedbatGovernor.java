package io.jbits.daemon;

import io.jbits.spi.BackgroundGovernor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.net.URI;

/**
 * A {@link BackgroundGovernor} that lets background jobs use only the bandwidth nobody else needs: LEDBAT++ applied
 * to a rate at the receiver, fed with round-trip samples and interface byte counters by probes outside core.
 *
 * <p>Why it works this way (docs/background-transfers.md §3.2 and §3.5). A JVM cannot see TCP's window or timestamps,
 * so the delay signal comes from round trips measured by the application (the daemon times TCP connects to the
 * remote: the SYN-ACK crosses the congested download direction and waits in the same queue as our data). The
 * queuing delay is the filtered current round trip (the minimum of the last few samples, which ignores one slow
 * scheduling hiccup) minus the base, the minimum over the last ten one-minute buckets. Against that delay the
 * rate follows LEDBAT++:
 * <ul>
 *   <li>slow start multiplies the rate each update (to at most twice what the jobs use) until the queuing delay passes 3/4 of the target (45 ms) or the
 *       rate reaches the one it had before a slowdown;</li>
 *   <li>above the target (60 ms) the rate shrinks to what the jobs used times {@code 1 - min(qdelay/target - 1,
 *       1/2)}, at most once per {@link Settings#decreaseSpacing} (or per round trip, when that is longer);</li>
 *   <li>below it the rate grows in proportion to how far below it is, and slowly near the rate at which the queue
 *       last built up;</li>
 *   <li>every {@link Settings#slowdownInterval} the rate drops to the floor for {@link Settings#slowdownLength}, so
 *       that the queue drains and the base is measured again (which also stops a latecomer from taking a queue it
 *       built itself for the idle path), then slow start climbs back to the old rate.</li>
 * </ul>
 * The rate only grows while background jobs use a good part of it: a job limited by something else (the server,
 * a cap) must not bank a rate it would then need many decreases to give back.
 *
 * <p>Delay alone reacts within a few round trips but a greedy competitor still has to fight for its share. So, as
 * BITS does with its NIC counters, the traffic of the interface that carries the route to the remote is compared
 * with our own: what the interface moved beyond our bytes (plus an allowance for packet headers) is someone else's.
 * When that, together with our FOREGROUND jobs, exceeds {@link Settings#competingShare} of the recent peak of the
 * interface, background jobs are cut to a trickle ({@link Settings#floorBytesPerSecond}), which keeps their
 * connections alive; when it ends they slow-start back to the link.
 *
 * <p>Every decision names what sets the rate: "competing traffic 14.2 Mbit/s", "foreground jobs 18.9 Mbit/s",
 * "queuing delay 85 ms", "slow start, queuing delay 3 ms", "re-measuring the idle round trip". The engine shows it
 * as a job's {@code heldBack} only when the rate actually held the job back.
 *
 * <p>Thread-safe: probes report from their own threads while the engine calls {@link #update}. Time is the caller's
 * monotonic nanoseconds throughout, so tests drive it with a fake clock.
 */
final class LedbatGovernor implements BackgroundGovernor {
    /** Interface bytes per payload byte: TCP/IP and Ethernet headers of full-sized segments, and the ACKs. */
    static final double HEADER_ALLOWANCE = 1.06;
    /** Rates are measured over this window. */
    static final long RATE_WINDOW_NANOS = Duration.ofSeconds(1).toNanos();
    /** Whether jobs use the rate is judged over this shorter window, so slow start is not held back by the past. */
    static final long USE_WINDOW_NANOS = Duration.ofMillis(300).toNanos();
    /**
     * The rate grows only while background jobs use this share of it (measured over the last 300 ms, which lags a
     * slow start growing 40% per 100 ms to about half).
     */
    static final double USED_SHARE = 1.0 / 3;
    /**
     * Near the rate at which the queue last built up ({@code PLATEAU} of it and above) the rate grows
     * {@code PLATEAU_SLOWER} times more slowly, as CUBIC does near its last maximum: with a large receive window
     * the queue stays empty below the link and fills at once above it, so the time spent just below it is what
     * keeps the delay low.
     */
    static final double PLATEAU = 0.9;
    static final double PLATEAU_SLOWER = 16;
    /** Update period the growth factors are expressed in. */
    private static final double STEP_SECONDS = 0.1;

    /**
     * The knobs, documented by their effect.
     *
     * @param target the queuing delay background traffic may add (LEDBAT++: 60 ms)
     * @param slowStartExit slow start ends when the queuing delay passes this (LEDBAT++: 3/4 of the target)
     * @param floorBytesPerSecond the trickle background jobs keep when held back, so connections stay alive
     * @param initialBytesPerSecond where slow start begins
     * @param slowStartGrowth factor by which slow start multiplies the rate per 100 ms
     * @param additiveGrowth share of the rate added per second when the queue is empty (less, closer to the target)
     * @param decreaseSpacing at most one multiplicative decrease this often (a round trip of the control loop)
     * @param competingShare background jobs are cut to the floor when others (and our foreground jobs) move more
     *     than this share of the recent peak of the link
     * @param competingMinimumBytesPerSecond ... and more than this, so that chatter on an idle link cuts nothing
     * @param slowdownInterval how often a periodic slowdown re-measures the base delay
     * @param slowdownLength how long the rate stays at the floor during a slowdown
     * @param baseBucket the length of one bucket of the base-delay and peak-rate histories
     * @param baseBuckets how many buckets those histories keep
     * @param currentSamples the current delay is the minimum of this many latest round trips
     * @param sampleMaxAge round trips older than this are no current delay (the probe stopped answering)
     */
    public record Settings(Duration target, Duration slowStartExit, long floorBytesPerSecond,
                           long initialBytesPerSecond, double slowStartGrowth, double additiveGrowth,
                           Duration decreaseSpacing, double competingShare, long competingMinimumBytesPerSecond,
                           Duration slowdownInterval, Duration slowdownLength, Duration baseBucket, int baseBuckets,
                           int currentSamples, Duration sampleMaxAge) {
        public Settings {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(slowStartExit, "slowStartExit");
            Objects.requireNonNull(decreaseSpacing, "decreaseSpacing");
            Objects.requireNonNull(slowdownInterval, "slowdownInterval");
            Objects.requireNonNull(slowdownLength, "slowdownLength");
            Objects.requireNonNull(baseBucket, "baseBucket");
            Objects.requireNonNull(sampleMaxAge, "sampleMaxAge");
            if (target.isNegative() || target.isZero() || slowStartExit.compareTo(target) > 0) {
                throw new IllegalArgumentException("need 0 < slowStartExit <= target: " + slowStartExit + ", "
                        + target);
            }
            if (floorBytesPerSecond < 1 || initialBytesPerSecond < floorBytesPerSecond) {
                throw new IllegalArgumentException("need 1 <= floor <= initial rate: " + floorBytesPerSecond + ", "
                        + initialBytesPerSecond);
            }
            if (slowStartGrowth <= 1 || additiveGrowth <= 0) {
                throw new IllegalArgumentException("growth must be positive: " + slowStartGrowth + ", "
                        + additiveGrowth);
            }
            if (competingShare <= 0 || competingShare >= 1) {
                throw new IllegalArgumentException("competingShare outside (0, 1): " + competingShare);
            }
            if (baseBuckets < 1 || currentSamples < 1) {
                throw new IllegalArgumentException("need at least one bucket and one sample: " + baseBuckets + ", "
                        + currentSamples);
            }
        }

        /**
         * LEDBAT++'s 60 ms target and 45 ms slow-start exit; a 16 KiB/s trickle; others get the link when they move
         * more than 20% of its recent peak (and 64 KiB/s); a 500 ms slowdown every 60 s (Apple's cadence); base
         * delay over ten one-minute buckets, current delay the least of the last three round trips.
         */
        public static Settings defaults() {
            return new Settings(Duration.ofMillis(60), Duration.ofMillis(45), 16 * 1024, 64 * 1024, 1.4, 0.5,
                    Duration.ofMillis(400), 0.2, 64 * 1024, Duration.ofSeconds(60), Duration.ofMillis(500),
                    Duration.ofMinutes(1), 10, 3, Duration.ofSeconds(2));
        }
    }

    private enum Phase { SLOW_START, AVOIDANCE, SLOWDOWN, YIELDING }

    private final Settings settings;
    private final DelayFilter delay;
    private final LinkLoad load;
    private Phase phase = Phase.SLOW_START;
    private double rate;
    /** Slow start stops here: the rate before a slowdown, or infinity when the link is to be found again. */
    private double ssthresh = Double.POSITIVE_INFINITY;
    /** What background jobs moved when the queue last passed the target: about the share of the link there is. */
    private double congestedRate = Double.POSITIVE_INFINITY;
    private boolean overTarget;
    private long lastUpdateNanos;
    private long lastDecreaseNanos;
    private long slowdownEndsNanos;
    private long nextSlowdownNanos;
    private long linkRx = -1;
    private long linkTx = -1;
    private long linkRxAtUpdate = -1;
    private long linkTxAtUpdate = -1;
    private long unread;
    private long unreadAtUpdate;
    private volatile Status status;

    /** A governor whose clock starts at {@code nowNanos}. */
    public LedbatGovernor(Settings settings, long nowNanos) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.delay = new DelayFilter(settings);
        this.load = new LinkLoad(settings);
        this.rate = settings.initialBytesPerSecond();
        this.lastUpdateNanos = nowNanos;
        this.nextSlowdownNanos = nowNanos + settings.slowdownInterval().toNanos();
    }

    /** One round trip to the remote measured at {@code nowNanos} (a TCP connect time, a time to first byte). */
    public synchronized void roundTrip(long nowNanos, Duration rtt) {
        delay.add(nowNanos, rtt.toNanos());
    }

    /**
     * The byte counters (received, sent; totals since the interface came up) of the interface that carries the
     * route to the remote, read just before {@link #update}, and the bytes that arrived on our connections to the
     * remote but wait unread in the kernel: when jobs slow down, the receive buffers fill at the old rate, and those
     * bytes crossed the interface as ours, not as someone else's.
     */
    public synchronized void linkCounters(long rxBytes, long txBytes, long unreadBytes) {
        linkRx = rxBytes;
        linkTx = txBytes;
        unread = unreadBytes;
    }

    /** Forgets the delay history: the remote changed, so its base round trip is another one. */
    public synchronized void remoteChanged() {
        delay.clear();
        congestedRate = Double.POSITIVE_INFINITY;
        linkRx = linkTx = linkRxAtUpdate = linkTxAtUpdate = -1;
        unread = unreadAtUpdate = 0;
    }

    @Override
    public synchronized Decision update(long nowNanos, long backgroundBytes, long foregroundBytes,
                                        Set<URI> backgroundRemotes) {
        Decision d = decide(nowNanos, backgroundBytes, foregroundBytes, backgroundRemotes);
        status = new Status(Math.round(load.othersRate(nowNanos)),
                Duration.ofNanos(Math.max(0, delay.queuingDelay(nowNanos))), settings.target(), d.bytesPerSecond(),
                d.reason());
        return d;
    }

    /** What the latest {@link #update} measured and decided; empty before the first. */
    @Override
    public Optional<Status> status() {
        return Optional.ofNullable(status);
    }

    private Decision decide(long nowNanos, long backgroundBytes, long foregroundBytes, Set<URI> backgroundRemotes) {
        double seconds = Math.max(0, nowNanos - lastUpdateNanos) / 1e9;
        lastUpdateNanos = nowNanos;
        long buffered = unread - unreadAtUpdate;
        unreadAtUpdate = unread;
        load.add(nowNanos, linkDelta(), backgroundBytes, foregroundBytes, buffered);
        if (backgroundRemotes.isEmpty()) {
            return decision(null);
        }
        double others = load.othersRate(nowNanos);
        double foreground = load.foregroundRate(nowNanos);
        double threshold = Math.max(settings.competingMinimumBytesPerSecond(),
                settings.competingShare() * load.peak());
        if (others + foreground > threshold) {
            phase = Phase.YIELDING;
            rate = settings.floorBytesPerSecond();
            return decision(foreground > others ? "foreground jobs " + mbits(foreground)
                    : "competing traffic " + mbits(others));
        }
        if (phase == Phase.YIELDING) {
            phase = Phase.SLOW_START;
            ssthresh = Double.POSITIVE_INFINITY;
        }
        long qdelay = delay.queuingDelay(nowNanos);
        double using = load.backgroundRate(nowNanos, USE_WINDOW_NANOS);
        boolean used = using >= rate * USED_SHARE;
        switch (phase) {
            case SLOWDOWN -> {
                if (nowNanos < slowdownEndsNanos) {
                    return new Decision(settings.floorBytesPerSecond(), "re-measuring the idle round trip");
                }
                phase = Phase.SLOW_START;
                rate = settings.floorBytesPerSecond();
            }
            case SLOW_START -> {
                if (qdelay > settings.slowStartExit().toNanos() || rate >= ssthresh) {
                    phase = Phase.AVOIDANCE;
                    ssthresh = Double.POSITIVE_INFINITY;
                    decreaseIfOverTarget(nowNanos, qdelay);
                } else if (used) {
                    double grown = rate * Math.pow(settings.slowStartGrowth(), seconds / STEP_SECONDS);
                    rate = Math.max(rate, Math.min(Math.min(grown, ssthresh), 2 * using));
                }
            }
            case AVOIDANCE -> {
                if (!decreaseIfOverTarget(nowNanos, qdelay) && used && qdelay < settings.target().toNanos()) {
                    double offTarget = 1 - (double) Math.max(0, qdelay) / settings.target().toNanos();
                    double growth = rate < PLATEAU * congestedRate ? settings.additiveGrowth()
                            : settings.additiveGrowth() / PLATEAU_SLOWER;
                    rate += offTarget * growth * rate * seconds;
                }
                if (nowNanos >= nextSlowdownNanos) {
                    phase = Phase.SLOWDOWN;
                    ssthresh = rate;
                    slowdownEndsNanos = nowNanos + settings.slowdownLength().toNanos();
                    nextSlowdownNanos = nowNanos + settings.slowdownInterval().toNanos();
                    return new Decision(settings.floorBytesPerSecond(), "re-measuring the idle round trip");
                }
            }
            case YIELDING -> throw new IllegalStateException("left above");
        }
        rate = Math.max(rate, settings.floorBytesPerSecond());
        // The engine shows this only when the rate actually held a job back.
        String delayMs = "queuing delay " + Math.round(Math.max(0, qdelay) / 1e6) + " ms";
        return decision(phase == Phase.SLOW_START ? "slow start, " + delayMs : delayMs);
    }

    /** Multiplicative decrease when the queuing delay is over the target, at most once per spacing. */
    private boolean decreaseIfOverTarget(long nowNanos, long qdelay) {
        long target = settings.target().toNanos();
        if (qdelay <= target) {
            overTarget = false;
            return false;
        }
        long spacing = Math.max(settings.decreaseSpacing().toNanos(), delay.current(nowNanos));
        double using = load.backgroundRate(nowNanos, RATE_WINDOW_NANOS);
        if (!overTarget && using > 0) {
            congestedRate = using;   // as the queue passes the target; the cuts that follow lower what is used
        }
        overTarget = true;
        if (nowNanos - lastDecreaseNanos >= spacing) {
            // From what the jobs use: a rate above it (slow start allows twice as much) holds nothing back.
            rate = Math.min(rate, Math.max(using, settings.floorBytesPerSecond()))
                    * (1 - Math.min((double) qdelay / target - 1, 0.5));
            lastDecreaseNanos = nowNanos;
        }
        return true;
    }

    /** What the interface moved since the last update (the busier direction), or -1 when unknown. */
    private long linkDelta() {
        long delta = -1;
        if (linkRx >= 0 && linkRxAtUpdate >= 0 && linkRx >= linkRxAtUpdate && linkTx >= linkTxAtUpdate) {
            delta = Math.max(linkRx - linkRxAtUpdate, linkTx - linkTxAtUpdate);
        }
        linkRxAtUpdate = linkRx;
        linkTxAtUpdate = linkTx;
        return delta;
    }

    private Decision decision(String reason) {
        return new Decision(Math.round(rate), reason);
    }

    /** The rate background jobs may use now (bytes per second), for tests and diagnostics. */
    synchronized long rate() {
        return Math.round(rate);
    }

    static String mbits(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f Mbit/s", bytesPerSecond * 8 / 1e6);
    }

    /** Base delay (least round trip over the last buckets) and current delay (least of the latest samples). */
    static final class DelayFilter {
        private final long bucketNanos;
        private final int buckets;
        private final int currentSamples;
        private final long maxAgeNanos;
        /** {start, least round trip} per bucket, the oldest first. */
        private final ArrayDeque<long[]> history = new ArrayDeque<>();
        /** {time, round trip} of the latest samples. */
        private final ArrayDeque<long[]> recent = new ArrayDeque<>();

        DelayFilter(Settings s) {
            this.bucketNanos = s.baseBucket().toNanos();
            this.buckets = s.baseBuckets();
            this.currentSamples = s.currentSamples();
            this.maxAgeNanos = s.sampleMaxAge().toNanos();
        }

        void add(long nowNanos, long rttNanos) {
            recent.addLast(new long[] {nowNanos, rttNanos});
            while (recent.size() > currentSamples) {
                recent.removeFirst();
            }
            long[] last = history.peekLast();
            if (last == null || nowNanos - last[0] >= bucketNanos) {
                history.addLast(new long[] {nowNanos, rttNanos});
                while (history.size() > buckets) {
                    history.removeFirst();
                }
            } else {
                last[1] = Math.min(last[1], rttNanos);
            }
        }

        /** The least of the latest fresh round trips in nanoseconds, or 0 without any. */
        long current(long nowNanos) {
            long current = Long.MAX_VALUE;
            for (long[] s : recent) {
                if (nowNanos - s[0] <= maxAgeNanos) {
                    current = Math.min(current, s[1]);
                }
            }
            return current == Long.MAX_VALUE ? 0 : current;
        }

        /** Current minus base delay in nanoseconds; 0 without fresh samples (nothing says the queue is full). */
        long queuingDelay(long nowNanos) {
            long current = current(nowNanos);
            if (current == 0) {
                return 0;
            }
            long base = Long.MAX_VALUE;
            for (long[] b : history) {
                base = Math.min(base, b[1]);
            }
            return current - base;
        }

        void clear() {
            history.clear();
            recent.clear();
        }
    }

    /** Rates of the link, of our background and foreground bytes, and the link's recent peak. */
    static final class LinkLoad {
        private final long bucketNanos;
        private final int buckets;
        /**
         * {time, link bytes or -1, background bytes, foreground bytes, change of our unread kernel bytes} per update
         * within the rate window.
         */
        private final ArrayDeque<long[]> samples = new ArrayDeque<>();
        /** {start, highest link rate} per bucket. */
        private final ArrayDeque<long[]> peaks = new ArrayDeque<>();

        LinkLoad(Settings s) {
            this.bucketNanos = s.baseBucket().toNanos();
            this.buckets = s.baseBuckets();
        }

        void add(long nowNanos, long linkBytes, long backgroundBytes, long foregroundBytes, long bufferedBytes) {
            samples.addLast(new long[] {nowNanos, linkBytes, backgroundBytes, foregroundBytes, bufferedBytes});
            while (nowNanos - samples.peekFirst()[0] > RATE_WINDOW_NANOS) {
                samples.removeFirst();
            }
            double link = Math.max(rate(nowNanos, RATE_WINDOW_NANOS, 1),
                    (rate(nowNanos, RATE_WINDOW_NANOS, 2) + rate(nowNanos, RATE_WINDOW_NANOS, 3)) * HEADER_ALLOWANCE);
            long[] last = peaks.peekLast();
            if (last == null || nowNanos - last[0] >= bucketNanos) {
                peaks.addLast(new long[] {nowNanos, Math.round(link)});
                while (peaks.size() > buckets) {
                    peaks.removeFirst();
                }
            } else {
                last[1] = Math.max(last[1], Math.round(link));
            }
        }

        double backgroundRate(long nowNanos, long windowNanos) {
            return rate(nowNanos, windowNanos, 2);
        }

        double foregroundRate(long nowNanos) {
            return rate(nowNanos, RATE_WINDOW_NANOS, 3);
        }

        /** What the link moved beyond our own bytes (with their headers); 0 when the link is not measured. */
        double othersRate(long nowNanos) {
            for (long[] s : samples) {
                if (s[1] < 0) {
                    return 0;
                }
            }
            double ours = (backgroundRate(nowNanos, RATE_WINDOW_NANOS) + foregroundRate(nowNanos)
                    + rate(nowNanos, RATE_WINDOW_NANOS, 4)) * HEADER_ALLOWANCE;
            return Math.max(0, rate(nowNanos, RATE_WINDOW_NANOS, 1) - ours);
        }

        /** The highest rate the link (or, unmeasured, our own jobs) reached in the recent buckets. */
        double peak() {
            long peak = 0;
            for (long[] p : peaks) {
                peak = Math.max(peak, p[1]);
            }
            return peak;
        }

        /**
         * Bytes per second of column {@code column} over the samples of the last {@code windowNanos}: the first
         * sample's bytes arrived before its own time, so it opens the span and its bytes are not counted.
         */
        private double rate(long nowNanos, long windowNanos, int column) {
            long bytes = 0;
            long first = -1;
            for (long[] s : samples) {
                if (nowNanos - s[0] > windowNanos) {
                    continue;
                }
                if (first < 0) {
                    first = s[0];
                    continue;
                }
                bytes += column == 1 ? Math.max(0, s[column]) : s[column];   // link: -1 is unknown
            }
            long span = nowNanos - first;
            return first < 0 || span <= 0 ? 0 : bytes * 1e9 / span;
        }
    }
}
