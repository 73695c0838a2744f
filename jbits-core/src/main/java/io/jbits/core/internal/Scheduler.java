package io.jbits.core.internal;

import io.jbits.api.JobState;
import io.jbits.api.Priority;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides which jobs run, by BITS's rules (docs/bits.md §2.3), as a pure function of the queue.
 *
 * <ul>
 *   <li>Every FOREGROUND job runs at once.</li>
 *   <li>At most {@code maxBackgroundJobs} background jobs run; a higher priority preempts a lower one.</li>
 *   <li>Equal priorities share by round-robin: a job whose time slice ran out while an equal job waits goes back
 *       to the end of the queue ({@link Decision#preempt}), and the waiting one starts on the next pass.</li>
 * </ul>
 * Jobs in any other state (suspended, errors, transferred) take no part: they neither run nor block others.
 */
final class Scheduler {
    private final int maxBackgroundJobs;
    private final long timeSliceNanos;

    public Scheduler(int maxBackgroundJobs, long timeSliceNanos) {
        if (maxBackgroundJobs < 1) {
            throw new IllegalArgumentException("maxBackgroundJobs < 1: " + maxBackgroundJobs);
        }
        this.maxBackgroundJobs = maxBackgroundJobs;
        this.timeSliceNanos = timeSliceNanos;
    }

    /**
     * A job as the scheduler sees it.
     *
     * @param queueSeq order of arrival in the queue; lower runs first among equals
     * @param startedNanos when its current run started (meaningful while running)
     */
    public record Entry(String id, Priority priority, JobState state, long queueSeq, long startedNanos) {
        boolean running() {
            return state.isRunning();
        }
    }

    /** Jobs to start now and running jobs to send back to the queue. */
    public record Decision(List<String> start, List<String> preempt) {
        public boolean isEmpty() {
            return start.isEmpty() && preempt.isEmpty();
        }
    }

    /** Decides for the queue {@code jobs} at {@code nowNanos}. */
    public Decision decide(List<Entry> jobs, long nowNanos) {
        List<String> start = new ArrayList<>();
        List<String> preempt = new ArrayList<>();
        List<Entry> background = new ArrayList<>();
        for (Entry e : jobs) {
            if (e.priority() == Priority.FOREGROUND) {
                if (e.state() == JobState.QUEUED) {
                    start.add(e.id());
                }
            } else if (e.state() == JobState.QUEUED || e.running()) {
                background.add(e);
            }
        }
        background.sort(Comparator.comparing(Entry::priority).thenComparingLong(Entry::queueSeq));
        List<Entry> chosen = background.subList(0, Math.min(maxBackgroundJobs, background.size()));
        List<Entry> waiting = background.subList(chosen.size(), background.size());
        for (Entry e : waiting) {
            if (e.running()) {
                preempt.add(e.id());
            }
        }
        for (Entry e : chosen) {
            if (!e.running()) {
                start.add(e.id());
            } else if (sliceOver(e, nowNanos) && hasEqualWaiting(e, waiting)) {
                preempt.add(e.id());
            }
        }
        return new Decision(List.copyOf(start), List.copyOf(preempt));
    }

    /** Nanoseconds until the earliest running background job's slice ends, or -1 when none matters. */
    public long nanosUntilSliceEnd(List<Entry> jobs, long nowNanos) {
        long best = -1;
        for (Entry e : jobs) {
            if (e.running() && e.priority().isBackground()) {
                long left = Math.max(0, e.startedNanos() + timeSliceNanos - nowNanos);
                best = best < 0 ? left : Math.min(best, left);
            }
        }
        return best;
    }

    private boolean sliceOver(Entry e, long nowNanos) {
        return nowNanos - e.startedNanos() >= timeSliceNanos;
    }

    private static boolean hasEqualWaiting(Entry running, List<Entry> waiting) {
        for (Entry w : waiting) {
            if (!w.running() && w.priority() == running.priority()) {
                return true;
            }
        }
        return false;
    }
}
