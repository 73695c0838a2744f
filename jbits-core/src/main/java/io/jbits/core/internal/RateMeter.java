package io.jbits.core.internal;

import io.jbits.spi.Ticker;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes per second over the last second or two, cheap enough to call for every buffer a transfer writes.
 * Counts go into the current half-second bucket; the rate is read from the two buckets before it.
 */
final class RateMeter {
    private static final long BUCKET_NANOS = 500_000_000L;
    private final Ticker ticker;
    private final AtomicLong[] buckets = {new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()};
    private final long[] bucketStart = new long[4];

    RateMeter(Ticker ticker) {
        this.ticker = ticker;
    }

    void add(long bytes) {
        long slot = ticker.nanos() / BUCKET_NANOS;
        int i = (int) Math.floorMod(slot, 4L);
        synchronized (bucketStart) {
            if (bucketStart[i] != slot) {
                bucketStart[i] = slot;
                buckets[i].set(0);
            }
        }
        buckets[i].addAndGet(bytes);
    }

    long bytesPerSecond() {
        long slot = ticker.nanos() / BUCKET_NANOS;
        long sum = 0;
        synchronized (bucketStart) {
            for (long s = slot - 2; s < slot; s++) {
                int i = (int) Math.floorMod(s, 4L);
                if (bucketStart[i] == s) {
                    sum += buckets[i].get();
                }
            }
        }
        return sum; // two half-second buckets make one second
    }
}
