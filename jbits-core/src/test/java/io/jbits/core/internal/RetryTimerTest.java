package io.jbits.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryTimerTest {
    private static final long S = 1_000_000_000L;
    private final RetryTimer timer = new RetryTimer();

    @Test
    void retriesOnceTheMinimumRetryDelayHasPassed() {
        Duration delay = Duration.ofSeconds(600);
        Duration timeout = Duration.ofDays(14);
        assertTrue(timer.onTransientError(1000 * S, delay, timeout));
        assertEquals(RetryTimer.Verdict.WAIT, timer.verdict(1000 * S + 599 * S, timeout));
        assertEquals(S, timer.nanosUntilDue(1000 * S + 599 * S, timeout));
        assertEquals(RetryTimer.Verdict.RETRY, timer.verdict(1000 * S + 600 * S, timeout));
    }

    @Test
    void givesUpWhenNothingMovedForTheNoProgressTimeout() {
        Duration delay = Duration.ofSeconds(10);
        Duration timeout = Duration.ofSeconds(25);
        assertTrue(timer.onTransientError(0, delay, timeout));
        assertEquals(RetryTimer.Verdict.RETRY, timer.verdict(10 * S, timeout));
        // the retry failed again without moving a byte
        assertTrue(timer.onTransientError(11 * S, delay, timeout));
        assertEquals(RetryTimer.Verdict.RETRY, timer.verdict(21 * S, timeout));
        assertTrue(timer.onTransientError(22 * S, delay, timeout));
        assertEquals(RetryTimer.Verdict.WAIT, timer.verdict(24 * S, timeout));
        assertEquals(RetryTimer.Verdict.GIVE_UP, timer.verdict(25 * S, timeout));
    }

    @Test
    void progressRestartsTheNoProgressClock() {
        Duration delay = Duration.ofSeconds(10);
        Duration timeout = Duration.ofSeconds(25);
        timer.onTransientError(0, delay, timeout);
        timer.onProgress();
        assertTrue(timer.onTransientError(20 * S, delay, timeout));
        assertEquals(RetryTimer.Verdict.RETRY, timer.verdict(30 * S, timeout));
        assertEquals(RetryTimer.Verdict.RETRY, timer.verdict(44 * S, timeout)); // 24 s after the new stall: not yet
        assertEquals(RetryTimer.Verdict.GIVE_UP, timer.verdict(45 * S, timeout));
    }

    @Test
    void zeroNoProgressTimeoutMakesEveryErrorFatal() {
        assertFalse(timer.onTransientError(5 * S, Duration.ofSeconds(5), Duration.ZERO));
        assertEquals(RetryTimer.Verdict.GIVE_UP, timer.verdict(5 * S, Duration.ZERO));
    }

    @Test
    void retryDelayLongerThanTheTimeoutMeansNoRetry() {
        Duration delay = Duration.ofSeconds(100);
        Duration timeout = Duration.ofSeconds(60);
        assertTrue(timer.onTransientError(0, delay, timeout));
        assertEquals(RetryTimer.Verdict.WAIT, timer.verdict(59 * S, timeout));
        assertEquals(S, timer.nanosUntilDue(59 * S, timeout));
        assertEquals(RetryTimer.Verdict.GIVE_UP, timer.verdict(60 * S, timeout));
    }

    @Test
    void timersWorkAcrossTheSignOfTheMonotonicClock() {
        long start = Long.MAX_VALUE - 5 * S; // System.nanoTime may be anywhere, even near overflow
        Duration delay = Duration.ofSeconds(10);
        Duration timeout = Duration.ofDays(1);
        timer.onTransientError(start, delay, timeout);
        assertEquals(RetryTimer.Verdict.WAIT, timer.verdict(start + 9 * S, timeout));
        assertEquals(RetryTimer.Verdict.RETRY, timer.verdict(start + 10 * S, timeout));
    }
}
