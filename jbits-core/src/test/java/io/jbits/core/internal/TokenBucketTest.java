package io.jbits.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bucket on a fake clock: readers reserve, wait exactly what the bucket says, and read. */
class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;
    private long now = 5 * SECOND;
    private final TokenBucket bucket = new TokenBucket(now);

    /** One reader that reads whole reservations and sleeps exactly as told; returns the bytes moved in {@code nanos}. */
    private long readFor(long nanos, int readBytes) {
        long end = now + nanos;
        long moved = 0;
        while (true) {
            long ticket = bucket.reserve(readBytes, now);
            long wait = bucket.nanosUntil(ticket, now);
            if (now + Math.max(0, wait) > end) {
                bucket.refund(readBytes, now);
                now = end;
                return moved;
            }
            now += Math.max(0, wait);
            moved += readBytes;
        }
    }

    @Test
    void oneReaderMovesExactlyTheRate() {
        bucket.setRate(256 * 1024, "cap", now);
        long moved = readFor(10 * SECOND, bucket.readBytes());
        assertEquals(10 * 256 * 1024, moved, bucket.readBytes());
    }

    @Test
    void readsAreSizedToAboutOneSixteenthOfASecond() {
        bucket.setRate(256 * 1024, "", now);
        assertEquals(16 * 1024, bucket.readBytes());
        bucket.setRate(2048, "", now);
        assertEquals(1024, bucket.readBytes());
        bucket.setRate(1L << 30, "", now);
        assertEquals(TokenBucket.MAX_READ_BYTES, bucket.readBytes());
        bucket.setRate(-1, "", now);
        assertEquals(TokenBucket.MAX_READ_BYTES, bucket.readBytes());
    }

    @Test
    void readersSharingABucketSplitItEvenlyAndTogetherMoveTheRate() {
        long rate = 4L << 20;
        bucket.setRate(rate, "cap", now);
        int readers = 3;
        long[] readyAt = new long[readers];
        long[] moved = new long[readers];
        long[] ticket = new long[readers];
        long start = now;
        long end = start + 10 * SECOND;
        int read = bucket.readBytes();
        for (int i = 0; i < readers; i++) {
            ticket[i] = bucket.reserve(read, now);
            readyAt[i] = now + Math.max(0, bucket.nanosUntil(ticket[i], now));
        }
        while (true) {
            int next = 0;
            for (int i = 1; i < readers; i++) {
                if (readyAt[i] < readyAt[next]) {
                    next = i;
                }
            }
            if (readyAt[next] > end) {
                break;
            }
            now = readyAt[next];
            moved[next] += read; // the read happens; the reader reserves its next one
            ticket[next] = bucket.reserve(read, now);
            readyAt[next] = now + Math.max(0, bucket.nanosUntil(ticket[next], now));
        }
        long total = moved[0] + moved[1] + moved[2];
        assertEquals(10 * rate, total, 3.0 * read);
        for (long m : moved) {
            assertEquals(total / 3.0, m, read);
        }
    }

    @Test
    void aNewRateAppliesToAReaderAlreadyWaiting() {
        bucket.setRate(1024, "slow", now);
        long ticket = bucket.reserve(64 * 1024, now);
        assertEquals(64 * SECOND, bucket.nanosUntil(ticket, now), SECOND / 100);
        now += SECOND;
        bucket.setRate(1L << 20, "fast", now);
        long wait = bucket.nanosUntil(ticket, now);
        assertTrue(wait < 70_000_000L, "waits " + wait + " ns at the new rate");
        assertEquals("fast", bucket.reason());
    }

    @Test
    void anIdleBucketLetsThroughAtMostOneBurst() {
        bucket.setRate(1L << 20, "", now);
        now += 60 * SECOND; // idle for a minute: nothing is saved up beyond the capacity
        long free = 0;
        for (int i = 0; i < 1000; i++) {
            long ticket = bucket.reserve(1024, now);
            if (bucket.nanosUntil(ticket, now) > 0) {
                break;
            }
            free += 1024;
        }
        assertEquals(64 * 1024, free, 1024, "25 ms at 1 MiB/s is 26 KiB; one read (64 KiB) is more");
    }

    @Test
    void bytesGivenBackLetTheNextReaderGoSooner() {
        bucket.setRate(100 * 1024, "", now);
        long first = bucket.reserve(50 * 1024, now);
        long second = bucket.reserve(50 * 1024, now);
        long before = bucket.nanosUntil(second, now);
        bucket.refund(40 * 1024, now); // the first read got 10 KiB only
        long after = bucket.nanosUntil(second, now);
        assertEquals(before - 400_000_000L, after, 1_000_000L);
        assertTrue(bucket.nanosUntil(first, now) <= after);
    }

    @Test
    void anUnlimitedBucketNeverWaitsAndALimitStartsFromEmpty() {
        for (int i = 0; i < 100; i++) {
            assertEquals(0, bucket.nanosUntil(bucket.reserve(1 << 20, now), now));
        }
        bucket.setRate(1L << 20, "", now);
        long ticket = bucket.reserve(1L << 20, now);
        assertEquals(SECOND, bucket.nanosUntil(ticket, now), SECOND / 1000);
    }
}
