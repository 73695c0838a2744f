package io.jbits.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateMeterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final RateMeter meter = new RateMeter(now::get);

    @Test
    void reportsTheBytesOfTheLastFullSecond() {
        for (int i = 0; i < 20; i++) {
            meter.add(50_000);
            now.addAndGet(100_000_000L); // 10 adds per second: 500,000 B/s
        }
        assertEquals(500_000, meter.bytesPerSecond());
    }

    @Test
    void dropsToZeroWhenNothingMoves() {
        meter.add(1_000_000);
        now.addAndGet(3_000_000_000L);
        assertEquals(0, meter.bytesPerSecond());
    }
}
