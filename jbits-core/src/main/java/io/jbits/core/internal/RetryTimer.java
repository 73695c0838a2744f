package io.jbits.core.internal;

import java.time.Duration;

/**
 * BITS's retry rules for one job, on monotonic time: after a transient error the job is retried once
 * {@code minRetryDelay} has passed; when no byte has moved for {@code noProgressTimeout} since the first transient
 * error, the error becomes fatal. A retry delay longer than the timeout means no retry at all, and a zero timeout
 * makes every error fatal at once (docs/bits.md §3.1).
 */
final class RetryTimer {
    /** What the timer says about a job in TRANSIENT_ERROR at a given instant. */
    public enum Verdict { WAIT, RETRY, GIVE_UP }

    /** {@link #heldBack} of a timer that has nothing to wait for: the retry is due now. */
    static final String DUE = "retry in 0 s";

    // Monotonic nanos may have any sign, so "not set" is a flag, never a sentinel value.
    private volatile boolean failing;
    private volatile boolean stalled;
    private volatile long noProgressSinceNanos;
    private volatile long retryAtNanos;

    /** Records progress: the no-progress clock stops. */
    public void onProgress() {
        stalled = false;
    }

    /**
     * Records a transient error at {@code nowNanos}. Returns false when the error must be fatal right away (zero
     * no-progress timeout, or the timeout already ran out).
     */
    public boolean onTransientError(long nowNanos, Duration minRetryDelay, Duration noProgressTimeout) {
        if (!stalled) {
            noProgressSinceNanos = nowNanos;
            stalled = true;
        }
        retryAtNanos = nowNanos + minRetryDelay.toNanos();
        failing = true;
        return verdict(nowNanos, noProgressTimeout) != Verdict.GIVE_UP;
    }

    /** The decision for a job in TRANSIENT_ERROR at {@code nowNanos}. */
    public Verdict verdict(long nowNanos, Duration noProgressTimeout) {
        if (!failing) {
            return Verdict.RETRY;
        }
        if (!stalled) {
            return nowNanos - retryAtNanos >= 0 ? Verdict.RETRY : Verdict.WAIT;
        }
        long giveUpAt = noProgressSinceNanos + noProgressTimeout.toNanos();
        if (noProgressTimeout.isZero() || nowNanos - giveUpAt >= 0) {
            return Verdict.GIVE_UP;
        }
        if (retryAtNanos - giveUpAt > 0) {
            return Verdict.WAIT; // no retry before the timeout: wait for it and give up then
        }
        return nowNanos - retryAtNanos >= 0 ? Verdict.RETRY : Verdict.WAIT;
    }

    /** Nanoseconds from {@code nowNanos} to the next decision (retry or give up), at least 0. */
    public long nanosUntilDue(long nowNanos, Duration noProgressTimeout) {
        if (!failing) {
            return 0;
        }
        if (!stalled) {
            return Math.max(0, retryAtNanos - nowNanos);
        }
        long giveUpAt = noProgressSinceNanos + noProgressTimeout.toNanos();
        long next = retryAtNanos - giveUpAt > 0 ? giveUpAt : Math.min(retryAtNanos, giveUpAt);
        return Math.max(0, next - nowNanos);
    }

    /**
     * Why a job in TRANSIENT_ERROR waits at {@code nowNanos}: {@code retry in N s}, or {@code no retry, fails in N s}
     * when the no-progress timeout comes first; whole seconds rounded up, never negative.
     */
    public String heldBack(long nowNanos, Duration noProgressTimeout) {
        long seconds = Math.ceilDiv(nanosUntilDue(nowNanos, noProgressTimeout), 1_000_000_000L);
        boolean givesUp = failing && stalled
                && retryAtNanos - (noProgressSinceNanos + noProgressTimeout.toNanos()) > 0;
        return (givesUp ? "no retry, fails in " : "retry in ") + seconds + " s";
    }

    /** Starts the timers afresh (after a restart of the service, or an owner's resume). */
    public void reset() {
        failing = false;
        stalled = false;
    }
}
