package io.jbits.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A byte count (a file's size, a job's bytes transferred) sampled every 100 ms on its own thread, so a test can ask
 * afterwards how fast it grew between two moments.
 */
final class Throughput implements AutoCloseable {
    private static final long PERIOD_NANOS = Duration.ofMillis(100).toNanos();

    private final LongSupplier bytes;
    private final long startNanos = System.nanoTime();
    /** {nanos since start, bytes}. */
    private final List<long[]> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    private Throughput(LongSupplier bytes) {
        this.bytes = bytes;
        this.thread = Thread.ofPlatform().daemon().name("it-throughput").start(this::loop);
    }

    /** Starts sampling now; time 0 of {@link #bytesPerSecond} is this moment. */
    static Throughput of(LongSupplier bytes) {
        return new Throughput(bytes);
    }

    private void loop() {
        while (!stopped) {
            long value;
            try {
                value = bytes.getAsLong();
            } catch (RuntimeException e) {
                value = -1;   // not there yet (a file not created): no sample
            }
            if (value >= 0) {
                synchronized (samples) {
                    samples.add(new long[] {System.nanoTime() - startNanos, value});
                }
            }
            LockSupport.parkNanos(PERIOD_NANOS);
        }
    }

    /** Time since sampling started. */
    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Bytes per second between the samples nearest to {@code from} and {@code to} (times since the start). */
    double bytesPerSecond(Duration from, Duration to) {
        long[] a = nearest(from.toNanos());
        long[] b = nearest(to.toNanos());
        if (a == null || b == null || b[0] <= a[0]) {
            throw new AssertionError("no samples between " + from + " and " + to + " (" + samples.size() + " in all)");
        }
        return (b[1] - a[1]) * 1e9 / (b[0] - a[0]);
    }

    private long[] nearest(long nanos) {
        synchronized (samples) {
            long[] best = null;
            for (long[] s : samples) {
                if (best == null || Math.abs(s[0] - nanos) < Math.abs(best[0] - nanos)) {
                    best = s;
                }
            }
            return best;
        }
    }

    /** Stops sampling (the samples stay). */
    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Megabits per second, for messages. */
    static String mbit(double bytesPerSecond) {
        return String.format(java.util.Locale.ROOT, "%.1f Mbit/s", bytesPerSecond * 8 / 1e6);
    }
}
