package io.jbits.transport.http.upload;

/**
 * Chooses the size of the next Fragment from how long the last ones took.
 *
 * <p>Why: every Fragment costs a round trip and, on a BITS server, a flush to disk before its Ack, so large fragments
 * are what make a fast link fast; but a fragment is also the unit of loss (a broken connection loses the fragment in
 * flight) and of reaction (a stop request waits for the Ack), so on a slow link it must stay short. BITS 2.5 and
 * later adapt the size to throughput between 5 KB and 13 MB ([MC-BUP] product notes, docs/bits.md §8.5); the
 * rule here: start at 1 MiB, double while a full fragment is acknowledged in under a second, and when one takes more
 * than four seconds, fall to what the measured rate sends in one second (at least halving). A 413 from the server
 * sets a ceiling of half the refused size that growth never passes again. Growth stops at 13 MB, or at the size a
 * server announces in {@code X-Jbits-Max-Fragment} (jbits serve: 64 MiB), at most {@link #LARGEST_BYTES}.
 *
 * <p>Not thread-safe: one sizer per upload attempt.
 */
final class FragmentSizer {

    /** The smallest fragment BITS sends (5 KB); a server that refuses it cannot take this upload. */
    static final long MIN_BYTES = 5 * 1024;
    /** The largest fragment BITS sends (13 MB): the ceiling unless the server announces its own. */
    static final long MAX_BYTES = 13L << 20;
    /** The largest fragment sent to a server that announces a larger one. */
    static final long LARGEST_BYTES = 64L << 20;
    /** Where a new upload starts. */
    static final long INITIAL_BYTES = 1L << 20;

    private static final long FAST_NANOS = 1_000_000_000L;
    private static final long SLOW_NANOS = 4_000_000_000L;

    private long sizeBytes;
    private long ceilingBytes = MAX_BYTES;

    FragmentSizer() {
        this(INITIAL_BYTES);
    }

    FragmentSizer(long initialBytes) {
        this(initialBytes, MAX_BYTES);
    }

    /** A sizer that grows up to {@code ceilingBytes} (see {@link #ceiling}). */
    FragmentSizer(long initialBytes, long ceilingBytes) {
        this.ceilingBytes = clamp(ceilingBytes, MIN_BYTES, LARGEST_BYTES);
        this.sizeBytes = clamp(initialBytes, MIN_BYTES, this.ceilingBytes);
    }

    /**
     * The ceiling for a server that announced {@code announcedBytes} as its largest fragment ({@code < 0}: nothing
     * announced, so the 13 MB of BITS).
     */
    static long ceiling(long announcedBytes) {
        return announcedBytes < 0 ? MAX_BYTES : clamp(announcedBytes, MIN_BYTES, LARGEST_BYTES);
    }

    /** The size of the next fragment (the caller cuts it at the end of the file). */
    long sizeBytes() {
        return sizeBytes;
    }

    /** Adapts to a fragment of {@code sentBytes} acknowledged {@code elapsedNanos} after it was started. */
    void acknowledged(long sentBytes, long elapsedNanos) {
        if (elapsedNanos > SLOW_NANOS) {
            long perSecond = (long) (sentBytes * (1e9 / elapsedNanos));
            sizeBytes = clamp(Math.min(sizeBytes / 2, perSecond), MIN_BYTES, ceilingBytes);
        } else if (elapsedNanos < FAST_NANOS && sentBytes >= sizeBytes) {
            sizeBytes = clamp(sizeBytes * 2, MIN_BYTES, ceilingBytes);
        }
    }

    /**
     * The server refused a fragment of {@code refusedBytes} as too large (413): halves it and keeps below that.
     *
     * @return false when the fragment was already the smallest allowed, so no smaller one can be tried
     */
    boolean refusedAsTooLarge(long refusedBytes) {
        if (refusedBytes <= MIN_BYTES) {
            return false;
        }
        ceilingBytes = clamp(refusedBytes / 2, MIN_BYTES, ceilingBytes);
        sizeBytes = ceilingBytes;
        return true;
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }
}
