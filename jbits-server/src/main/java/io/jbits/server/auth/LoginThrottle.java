package io.jbits.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down, then refuses for a while, a client address that keeps sending wrong passwords. The table keeps at
 * most {@link Policy#maxAddresses} addresses (the least recently seen go first), so a flood of addresses costs
 * bounded memory; an address without a failure for {@link Policy#forgetAfter} starts afresh.
 */
final class LoginThrottle {

    /**
     * The rules.
     *
     * @param freeFailures failures answered at once
     * @param firstDelay the delay of the first failure after the free ones; each further one doubles it
     * @param maxDelay the longest delay
     * @param lockoutFailures failures after which the address is refused, even with the right password
     * @param lockout how long the refusal lasts
     * @param forgetAfter how long after its last failure an address is forgotten
     * @param maxAddresses how many addresses the table holds
     */
    record Policy(int freeFailures, Duration firstDelay, Duration maxDelay, int lockoutFailures, Duration lockout,
            Duration forgetAfter, int maxAddresses) {

        /** Five free tries, then ¼ s doubling to 4 s, and after 20 failures 15 minutes of refusal. */
        static final Policy DEFAULT = new Policy(5, Duration.ofMillis(250), Duration.ofSeconds(4), 20,
                Duration.ofMinutes(15), Duration.ofMinutes(15), 10_000);
    }

    private static final class Failures {
        int failures;
        Instant lastFailure;
        Instant lockedUntil;
    }

    private final Policy policy;
    private final Clock clock;
    private final Map<String, Failures> table;

    LoginThrottle(Policy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
        this.table = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > policy.maxAddresses();
            }
        };
    }

    /** How long {@code address} is still refused, or {@link Duration#ZERO}. */
    synchronized Duration lockedFor(String address) {
        Failures entry = current(address);
        if (entry == null || entry.lockedUntil == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), entry.lockedUntil);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Counts a failure of {@code address}; returns how long to wait before answering it. */
    synchronized Duration failed(String address) {
        Instant now = clock.instant();
        Failures entry = current(address);
        if (entry == null) {
            entry = new Failures();
            table.put(address, entry);
        }
        entry.failures++;
        entry.lastFailure = now;
        if (entry.failures >= policy.lockoutFailures()) {
            entry.lockedUntil = now.plus(policy.lockout());
        }
        int slowed = entry.failures - policy.freeFailures();
        if (slowed <= 0) {
            return Duration.ZERO;
        }
        Duration delay = policy.firstDelay().multipliedBy(1L << Math.min(slowed - 1, 20));
        return delay.compareTo(policy.maxDelay()) > 0 ? policy.maxDelay() : delay;
    }

    /** A right password: the address starts afresh (unless it is refused right now). */
    synchronized void succeeded(String address) {
        Failures entry = current(address);
        if (entry != null && entry.lockedUntil == null) {
            table.remove(address);
        }
    }

    /** How many addresses the table holds now. */
    synchronized int size() {
        return table.size();
    }

    private Failures current(String address) {
        Failures entry = table.get(address);
        if (entry == null) {
            return null;
        }
        Instant now = clock.instant();
        boolean lockedOver = entry.lockedUntil == null || !entry.lockedUntil.isAfter(now);
        if (lockedOver && entry.lastFailure.plus(policy.forgetAfter()).isBefore(now)) {
            table.remove(address);
            return null;
        }
        if (entry.lockedUntil != null && lockedOver) {
            // The refusal is over: the address gets its free tries again.
            table.remove(address);
            return null;
        }
        return entry;
    }
}
