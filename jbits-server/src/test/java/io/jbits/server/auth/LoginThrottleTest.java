package io.jbits.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private final TestClock clock = new TestClock();
    private final LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Policy(2, Duration.ofMillis(100),
            Duration.ofMillis(350), 5, Duration.ofMinutes(10), Duration.ofMinutes(30), 3), clock);

    @Test
    void failuresAreFreeThenSlowedThenRefusedForAWhile() {
        assertEquals(Duration.ZERO, throttle.failed("10.0.0.1"));
        assertEquals(Duration.ZERO, throttle.failed("10.0.0.1"));
        assertEquals(Duration.ofMillis(100), throttle.failed("10.0.0.1"));
        assertEquals(Duration.ofMillis(200), throttle.failed("10.0.0.1"));
        assertEquals(Duration.ZERO, throttle.lockedFor("10.0.0.1"));
        assertEquals(Duration.ofMillis(350), throttle.failed("10.0.0.1"), "capped");
        assertEquals(Duration.ofMinutes(10), throttle.lockedFor("10.0.0.1"));
        assertEquals(Duration.ZERO, throttle.lockedFor("10.0.0.2"), "other addresses are not affected");

        throttle.succeeded("10.0.0.1");
        clock.now = clock.now.plus(Duration.ofMinutes(9));
        assertEquals(Duration.ofMinutes(1), throttle.lockedFor("10.0.0.1"), "a right password does not unlock");
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertEquals(Duration.ZERO, throttle.lockedFor("10.0.0.1"));
        assertEquals(Duration.ZERO, throttle.failed("10.0.0.1"), "free tries again after the refusal");
    }

    @Test
    void aRightPasswordOrTimeForgetsTheFailures() {
        throttle.failed("a");
        throttle.failed("a");
        throttle.succeeded("a");
        assertEquals(Duration.ZERO, throttle.failed("a"));
        throttle.failed("a");
        clock.now = clock.now.plus(Duration.ofMinutes(31));
        assertEquals(Duration.ZERO, throttle.failed("a"), "forgotten after 30 minutes");
    }

    @Test
    void theTableHoldsABoundedNumberOfAddresses() {
        for (int i = 0; i < 1000; i++) {
            throttle.failed("10.1." + (i / 256) + "." + (i % 256));
        }
        assertEquals(3, throttle.size());
    }
}
