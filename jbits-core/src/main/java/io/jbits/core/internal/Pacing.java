package io.jbits.core.internal;

import io.jbits.spi.BackgroundGovernor;
import io.jbits.spi.Bandwidth;
import io.jbits.core.policy.BandwidthPolicy;
import io.jbits.spi.Ticker;
import io.jbits.core.policy.Timetable;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's bandwidth limits, shared by every transfer: the bucket of all jobs ({@code limit}), the bucket of
 * all background jobs ({@code background-limit}, held lower still by the {@link BackgroundGovernor}), and one
 * {@link JobPacer} per job for its own cap.
 *
 * <p>{@link #tick} runs about ten times a second: it hands the governor what background and foreground jobs moved
 * since the last tick and which remotes background jobs are using, then sets the buckets' rates from the policy's
 * timetables at the current local time and from the governor's answer. A new policy applies at once.
 */
public final class Pacing {
    /** How often {@link #tick} should run. */
    public static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The longest a paced read sleeps before it looks at the rates again. */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final System.Logger LOG = System.getLogger(Pacing.class.getName());

    final Ticker ticker;
    private final Clock clock;
    private final ZoneId zone;
    private final BackgroundGovernor governor;
    private final Sleeper sleeper;
    final TokenBucket global;
    final TokenBucket background;
    private final LongAdder backgroundBytes = new LongAdder();
    private final LongAdder foregroundBytes = new LongAdder();
    private final Map<Object, Active> active = new ConcurrentHashMap<>();
    private volatile BandwidthPolicy policy = BandwidthPolicy.NONE;
    private volatile BackgroundGovernor.Decision decision = BackgroundGovernor.Decision.UNLIMITED;
    private volatile BandwidthPolicy.InForce status;
    /** When {@link #tick} last asked the governor ({@link #ticker}); at start, longer ago than a pause. */
    private volatile long tickedNanos;
    private boolean governorFailed;

    /** Sleeps for a paced read; returns false when interrupted (with the flag restored). */
    @FunctionalInterface
    public interface Sleeper {
        boolean sleep(long nanos);

        /** Parks the calling thread (virtual threads unmount). */
        static Sleeper system() {
            return nanos -> {
                try {
                    TimeUnit.NANOSECONDS.sleep(nanos);
                    return true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            };
        }
    }

    /** A transfer counted as running until it is closed. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private record Active(JobPacer pacer, URI remote) {
    }

    public Pacing(Ticker ticker, Clock clock, ZoneId zone, BackgroundGovernor governor, Sleeper sleeper) {
        this.ticker = ticker;
        this.clock = clock;
        this.zone = zone;
        this.governor = governor;
        this.sleeper = sleeper;
        long now = ticker.nanos();
        this.global = new TokenBucket(now);
        this.background = new TokenBucket(now);
        this.tickedNanos = now - 2 * TICK_NANOS - 1; // the governor was never asked
        apply(now);
    }

    /** A pacer for one job, with no cap of its own yet. */
    JobPacer newJob() {
        return new JobPacer(this);
    }

    /** Puts a new policy in force now. */
    public void setPolicy(BandwidthPolicy p) {
        policy = p;
        apply(ticker.nanos());
    }

    public BandwidthPolicy policy() {
        return policy;
    }

    /** The limits in force now. */
    public BandwidthPolicy.InForce status() {
        return status;
    }

    /**
     * The limits in force now, worked out afresh rather than as of the last tick: a timetable's hour may have
     * turned since.
     */
    public BandwidthPolicy.InForce statusNow() {
        apply(ticker.nanos());
        return status;
    }

    /**
     * Whether {@link #tick} must run while no transfer moves bytes: only when the governor learns from those ticks.
     * Otherwise an idle engine need not tick (and wakes no thread ten times a second), since a transfer that starts
     * finds the rates of the moment ({@link #freshen}).
     */
    public boolean ticksWhileIdle() {
        return governor.learnsWhileIdle();
    }

    /** One round: the governor's sample and decision, then the rates of the shared buckets. */
    public synchronized void tick() {
        long now = ticker.nanos();
        tickedNanos = now;
        long bg = backgroundBytes.sumThenReset();
        long fg = foregroundBytes.sumThenReset();
        Set<URI> remotes = new LinkedHashSet<>();
        for (Active a : active.values()) {
            if (!a.pacer().isForeground()) {
                remotes.add(a.remote());
            }
        }
        try {
            BackgroundGovernor.Decision d = governor.update(now, bg, fg, Set.copyOf(remotes));
            decision = d == null ? BackgroundGovernor.Decision.UNLIMITED : d;
            governorFailed = false;
        } catch (RuntimeException e) {
            if (!governorFailed) {
                LOG.log(System.Logger.Level.WARNING, "background governor failed; background jobs go unlimited "
                        + "by it until it recovers: " + e, e);
            }
            governorFailed = true;
            decision = BackgroundGovernor.Decision.UNLIMITED;
        }
        apply(now);
    }

    private synchronized void apply(long now) {
        BandwidthPolicy p = policy;
        BandwidthPolicy.Now in = p.at(LocalDateTime.ofInstant(clock.instant(), zone));
        Bandwidth limit = in.limit().rate();
        String limitWhy = why("limit", in.limit());
        global.setRate(limit.bytesPerSecond(), limitWhy, now);

        Bandwidth bgLimit = in.backgroundLimit().rate();
        String bgWhy = why("background limit", in.backgroundLimit());
        BackgroundGovernor.Decision d = decision;
        if (d.bytesPerSecond() >= 0 && (!bgLimit.isLimited() || d.bytesPerSecond() < bgLimit.bytesPerSecond())) {
            bgLimit = Bandwidth.of(Math.max(d.bytesPerSecond(), Bandwidth.MIN_BYTES_PER_SECOND));
            bgWhy = d.reason() == null || d.reason().isBlank() ? "competing traffic" : d.reason();
        }
        background.setRate(bgLimit.bytesPerSecond(), bgWhy, now);
        status = new BandwidthPolicy.InForce(limit, limitWhy, bgLimit, bgWhy);
    }

    private static String why(String what, Timetable.Slot slot) {
        if (!slot.rate().isLimited()) {
            return "";
        }
        String s = what + " " + slot.rate().describe();
        return slot.window().isEmpty() ? s : s + " (" + slot.window() + ")";
    }

    boolean sleep(long nanos) {
        return sleeper.sleep(nanos);
    }

    void moved(long bytes, boolean foreground) {
        (foreground ? foregroundBytes : backgroundBytes).add(bytes);
    }

    Registration moving(JobPacer pacer, URI remote) {
        Object key = new Object();
        active.put(key, new Active(pacer, remote));
        freshen();
        return () -> active.remove(key);
    }

    /**
     * Makes the rates current before a transfer uses them: when the ticks paused while nothing moved (the governor
     * learns nothing while idle), asks the governor and the timetable now. Called before a connection takes its
     * receive buffer from the rates ({@link JobPacer#receiveBufferBytes}) and before a transfer's first byte. Until
     * then the buckets hold the rates of before the pause, or none at all in a new service: a background job's
     * first connection got the receive buffer of an unlimited job (1 MiB), the kernel took that much in ahead of
     * the paced reads, and the burst filled the link's queue before the scavenger's first round trip, which then
     * passed for the idle link's (ScavengingTest).
     */
    void freshen() {
        if (!governor.learnsWhileIdle() && ticker.nanos() - tickedNanos > 2 * TICK_NANOS) {
            tick();
        }
    }
}
