package io.jbits.spi;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides how fast background jobs (HIGH, NORMAL, LOW) may go right now so that they use only bandwidth nobody
 * else needs (docs/background-transfers.md §3.5): the engine calls {@link #update} about ten times a second with what
 * its own transfers moved, and paces every background transfer to the rate it answers (never above the limits of
 * the bandwidth policy). FOREGROUND jobs are never governed.
 */
public interface BackgroundGovernor extends AutoCloseable {

    /**
     * One sample of the engine's own traffic since the previous call.
     *
     * @param nowNanos monotonic time ({@link Ticker})
     * @param backgroundBytes bytes received or sent by background jobs since the previous call
     * @param foregroundBytes bytes received or sent by FOREGROUND jobs since the previous call
     * @param backgroundRemotes the remote URLs background jobs are moving bytes from or to now (empty when none)
     * @return the rate background jobs may use until the next call
     */
    Decision update(long nowNanos, long backgroundBytes, long foregroundBytes, Set<URI> backgroundRemotes);

    /**
     * @param bytesPerSecond the rate all background jobs together may use; negative for no limit
     * @param reason why background jobs are held back ("competing traffic", "queuing delay 80 ms"), or null when
     *     they are not
     */
    record Decision(long bytesPerSecond, String reason) {
        public static final Decision UNLIMITED = new Decision(-1, null);
    }

    /**
     * What the governor saw and decided at its latest {@link #update}, for people watching it (the dashboard's
     * chart); empty when it measures nothing (the default, and a governor that does not govern the current remote).
     */
    default Optional<Status> status() {
        return Optional.empty();
    }

    /**
     * Whether the governor learns from {@link #update} while no job moves bytes (from the link's own traffic, say),
     * so the engine keeps calling it about ten times a second even then. When false, an idle engine stops calling
     * it until a job has a transfer again, and the first call after covers the whole pause. True by default.
     */
    default boolean learnsWhileIdle() {
        return true;
    }

    /**
     * The governor's latest view of the link.
     *
     * @param competingBytesPerSecond what others (not jbits' jobs) moved over the link lately; 0 when unmeasured
     * @param queuingDelay how much longer round trips take than the idle link's (0 without fresh samples)
     * @param target the queuing delay background traffic may add
     * @param allowedBytesPerSecond the rate background jobs may use now; negative for no limit
     * @param reason why background jobs are held back, as in {@link Decision#reason}, or null
     */
    record Status(long competingBytesPerSecond, Duration queuingDelay, Duration target, long allowedBytesPerSecond,
                  String reason) {
        public Status {
            Objects.requireNonNull(queuingDelay, "queuingDelay");
            Objects.requireNonNull(target, "target");
        }
    }

    /** A governor that never holds anything back. */
    static BackgroundGovernor unlimited() {
        return new BackgroundGovernor() {
            @Override
            public Decision update(long nowNanos, long backgroundBytes, long foregroundBytes,
                                   Set<URI> backgroundRemotes) {
                return Decision.UNLIMITED;
            }

            @Override
            public boolean learnsWhileIdle() {
                return false;
            }
        };
    }

    @Override
    default void close() {
    }
}
