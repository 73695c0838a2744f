package io.jbits.core.internal;

import io.jbits.spi.Bandwidth;
import java.net.URI;
import java.util.function.BooleanSupplier;

/**
 * Paces one job's transfers: every read (or every upload chunk) waits in the job's own bucket (its {@code rate.max}
 * cap), then, for a background job, in the bucket of all background jobs, and in the bucket of all jobs. A
 * FOREGROUND job skips the background bucket: the scavenger and the background limit never touch it.
 *
 * <p>Usage, per read: {@link #readBytes} sizes the read to the tightest bucket, {@link #acquire} waits until it may
 * go, and {@link #used} gives back what the read did not use and counts what it did. Cap and priority changes apply
 * to reads already waiting, within one slice of {@link Pacing#SLICE_NANOS}.
 */
final class JobPacer {
    static final int MIN_RECEIVE_BUFFER = 64 * 1024;
    static final int BACKGROUND_RECEIVE_BUFFER = 1 << 20;
    static final int MAX_RECEIVE_BUFFER = 4 << 20;
    private static final long MIN_RTT_NANOS = 50_000_000L;
    private final Pacing pacing;
    private final TokenBucket own;
    private volatile boolean foreground;
    private volatile TokenBucket limitedBy;
    private volatile long limitedAtNanos;

    JobPacer(Pacing pacing) {
        this.pacing = pacing;
        this.own = new TokenBucket(pacing.ticker.nanos());
    }

    /** Sets the job's own cap ({@link Bandwidth#UNLIMITED} for none). */
    void cap(Bandwidth cap) {
        own.setRate(cap.bytesPerSecond(), cap.isLimited() ? "job cap " + cap.describe() : "", pacing.ticker.nanos());
    }

    /** Tells the pacer whether the job is FOREGROUND now. */
    void foreground(boolean isForeground) {
        foreground = isForeground;
    }

    boolean isForeground() {
        return foreground;
    }

    /** How many bytes the next read should ask for: at most {@code max}, and about one bucket's worth. */
    int readBytes(int max) {
        int n = Math.min(max, own.readBytes());
        if (!foreground) {
            n = Math.min(n, pacing.background.readBytes());
        }
        return Math.min(n, pacing.global.readBytes());
    }

    /** A reservation of bytes in the job's buckets. */
    static final class Grant {
        final TokenBucket[] buckets;
        final long bytes;
        final boolean foreground;

        private Grant(TokenBucket[] buckets, long bytes, boolean foreground) {
            this.buckets = buckets;
            this.bytes = bytes;
            this.foreground = foreground;
        }
    }

    /**
     * Reserves {@code bytes} and waits until they may move. Returns null (nothing reserved) when {@code stop}
     * turns true or the thread is interrupted while waiting (the interrupt flag is kept).
     */
    Grant acquire(int bytes, BooleanSupplier stop) {
        boolean fg = foreground;
        TokenBucket[] chain = fg
                ? new TokenBucket[] {own, pacing.global}
                : new TokenBucket[] {own, pacing.background, pacing.global};
        long now = pacing.ticker.nanos();
        long[] tickets = new long[chain.length];
        for (int i = 0; i < chain.length; i++) {
            tickets[i] = chain[i].reserve(bytes, now);
        }
        Grant grant = new Grant(chain, bytes, fg);
        while (true) {
            long wait = 0;
            TokenBucket slowest = null;
            for (int i = 0; i < chain.length; i++) {
                long w = chain[i].nanosUntil(tickets[i], now);
                if (w > wait) {
                    wait = w;
                    slowest = chain[i];
                }
            }
            if (slowest == null) {
                return grant;
            }
            limitedBy = slowest;
            limitedAtNanos = now;
            if (stop.getAsBoolean() || !pacing.sleep(Math.min(wait, Pacing.SLICE_NANOS))) {
                used(grant, 0);
                return null;
            }
            now = pacing.ticker.nanos();
        }
    }

    /** The read of a grant moved {@code bytes} (0 to its size): the rest goes back, the bytes are counted. */
    void used(Grant grant, long bytes) {
        long unused = grant.bytes - Math.max(0, bytes);
        if (unused > 0) {
            long now = pacing.ticker.nanos();
            for (TokenBucket b : grant.buckets) {
                b.refund(unused, now);
            }
        }
        if (bytes > 0) {
            pacing.moved(bytes, grant.foreground);
        }
    }

    /**
     * The receive buffer ({@code SO_RCVBUF}) a new connection of this job should have, so that the kernel cannot
     * take in much more than the limits allow ahead of the paced reads: twice the job's tightest limit times the
     * round trip ({@code rttNanos}, at least 50 ms), never below 64 KiB; without a limit, 1 MiB for a background job
     * (the scavenger may slow it at any moment) and 4 MiB for a foreground one (bounded, but enough for full speed).
     * Rounded up to a power of two, so connections of similar jobs are reused.
     */
    int receiveBufferBytes(long rttNanos) {
        pacing.freshen(); // the rates of the moment, not of before a pause
        long rate = own.bytesPerSecond();
        if (!foreground) {
            rate = tighter(rate, pacing.background.bytesPerSecond());
        }
        rate = tighter(rate, pacing.global.bytesPerSecond());
        long bytes;
        if (rate < 0) {
            bytes = foreground ? MAX_RECEIVE_BUFFER : BACKGROUND_RECEIVE_BUFFER;
        } else {
            double rtt = Math.max(rttNanos, MIN_RTT_NANOS) / 1e9;
            bytes = Math.clamp((long) (2 * rate * rtt), MIN_RECEIVE_BUFFER, MAX_RECEIVE_BUFFER);
        }
        return Integer.highestOneBit((int) bytes - 1) << 1;
    }

    private static long tighter(long a, long b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    /** Registers a transfer from or to {@code remote} while it runs: the scavenger watches background remotes. */
    Pacing.Registration moving(URI remote) {
        return pacing.moving(this, remote);
    }

    /** What held the job back in the last second ("job cap 512 KiB/s", "limit 4 MiB/s", …), or null. */
    String heldBack() {
        TokenBucket b = limitedBy;
        if (b == null || pacing.ticker.nanos() - limitedAtNanos > 1_000_000_000L) {
            return null;
        }
        String why = b.reason();
        return why.isEmpty() ? null : why;
    }
}
