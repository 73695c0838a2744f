package io.jbits.core.internal;

/**
 * A token bucket shared by any number of readers, with a rate that may change at any moment.
 *
 * <p>Why it is built on tickets: readers reserve bytes before they read them ({@link #reserve}), so a paced read
 * never pulls from the socket more than the cap allows. Each reservation gets a ticket, the bucket's running total
 * of reserved bytes after it; the reader may go once the bucket's allowance (bytes granted so far: the rate times
 * the time elapsed) reaches its ticket. Tickets queue readers in the order they asked, so readers sharing a cap
 * share it evenly, and a waiting reader asks {@link #nanosUntil} again in short slices: a new rate applies to
 * readers already waiting, within one slice, without anyone re-reserving. Bytes reserved but not read are given
 * back ({@link #refund}), which lets the next ticket go sooner.
 *
 * <p>Bursts: an idle bucket fills up to {@link #capacity} bytes only (about one read, or 25 ms at the rate), so a
 * reader that was idle or slept too long catches up by at most that much; a reader that slept late by less than
 * that loses nothing, which is what keeps the measured rate on the cap on a loaded machine.
 *
 * <p>Time is passed in (monotonic nanoseconds), so the bucket is pure logic, tested with a fake clock. Thread-safe.
 */
final class TokenBucket {
    /** Reads never exceed this, whatever the rate. */
    static final int MAX_READ_BYTES = 256 * 1024;
    private static final int MIN_READ_BYTES = 1024;
    private static final long BURST_NANOS = 25_000_000L;

    private long bytesPerSecond = -1;
    /** Bytes granted since the start: grows with time at the rate; may run ahead of {@code reserved} by capacity. */
    private double allowance;
    private long reserved;
    private long lastNanos;
    private volatile String reason = "";

    TokenBucket(long nowNanos) {
        this.lastNanos = nowNanos;
    }

    /** The current rate in bytes per second, negative when unlimited. */
    synchronized long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Why this bucket holds readers back, for people ("job cap 512 KiB/s"). */
    String reason() {
        return reason;
    }

    /** Sets the rate (negative: unlimited) from now on, and the words that explain it. */
    synchronized void setRate(long rate, String why, long nowNanos) {
        long newRate = rate < 0 ? -1 : Math.max(1, rate);
        reason = why == null ? "" : why;
        if (newRate == bytesPerSecond) {
            return;
        }
        advance(nowNanos);
        if (bytesPerSecond < 0) {
            allowance = reserved; // from unlimited: every ticket so far is paid, the bucket starts empty
        }
        bytesPerSecond = newRate;
        if (newRate < 0) {
            allowance = reserved;
        } else {
            allowance = Math.min(allowance, reserved + capacity());
        }
    }

    /** How many bytes one read should ask for at this rate: about 1/16 s worth, within [1 KiB, 256 KiB]. */
    synchronized int readBytes() {
        if (bytesPerSecond < 0) {
            return MAX_READ_BYTES;
        }
        return (int) Math.clamp(bytesPerSecond / 16, MIN_READ_BYTES, MAX_READ_BYTES);
    }

    /** The most an idle bucket holds: one read, or 25 ms at the rate if that is more. */
    private long capacity() {
        return Math.max(readBytesLocked(), bytesPerSecond * BURST_NANOS / 1_000_000_000L);
    }

    private long readBytesLocked() {
        return Math.clamp(bytesPerSecond / 16, MIN_READ_BYTES, MAX_READ_BYTES);
    }

    /** Reserves {@code bytes} and returns the ticket to wait for. */
    synchronized long reserve(long bytes, long nowNanos) {
        advance(nowNanos);
        reserved += bytes;
        if (bytesPerSecond < 0) {
            allowance = reserved;
        }
        return reserved;
    }

    /** Gives back {@code bytes} of a reservation that were not used: the next tickets go sooner. */
    synchronized void refund(long bytes, long nowNanos) {
        if (bytes <= 0) {
            return;
        }
        advance(nowNanos);
        allowance = bytesPerSecond < 0 ? reserved : Math.min(allowance + bytes, reserved + capacity());
    }

    /** Nanoseconds until {@code ticket} may go at the current rate; 0 or less when it may go now. */
    synchronized long nanosUntil(long ticket, long nowNanos) {
        advance(nowNanos);
        if (bytesPerSecond < 0) {
            return 0;
        }
        double missing = ticket - allowance;
        if (missing <= 0) {
            return 0;
        }
        return Math.max(1, (long) Math.ceil(missing * 1e9 / bytesPerSecond));
    }

    private void advance(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed <= 0) {
            return;
        }
        lastNanos = nowNanos;
        if (bytesPerSecond < 0) {
            allowance = reserved;
            return;
        }
        allowance = Math.min(allowance + bytesPerSecond * (elapsed / 1e9), reserved + capacity());
    }
}
