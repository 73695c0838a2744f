package io.jbits.spi;

/** Monotonic time in nanoseconds, injected so that timers are tested with a fake. */
@FunctionalInterface
public interface Ticker {
    long nanos();

    /** The JVM's monotonic clock. */
    static Ticker system() {
        return System::nanoTime;
    }
}
