package io.jbits.core.internal;

import io.jbits.api.BitsCodes;
import io.jbits.api.JobState;

/**
 * The one place where job states change: BITS's transition table (docs/bits.md §2.2) as a pure function.
 *
 * <p>Every call either yields the new state or a typed rejection carrying the BITS code the caller reports. A
 * no-op (suspending a suspended job) is a move to the same state, not a rejection.
 */
final class Transitions {
    private Transitions() {
    }

    /** The outcome of applying an event to a state. */
    public sealed interface Result permits Moved, Rejected {
    }

    /** The job moves to {@code to} (which may equal its current state). */
    public record Moved(JobState to) implements Result {
    }

    /** The event is not allowed in this state; {@code code} is the BITS code to report. */
    public record Rejected(int code, String reason) implements Result {
    }

    /**
     * Applies {@code event} to a job in {@code from}.
     *
     * @param hasFiles whether the job holds at least one file (RESUME needs one)
     * @param allFilesDone whether every file is completely transferred (RESUME of a TRANSFERRED job with nothing
     *     new stays TRANSFERRED)
     */
    public static Result apply(JobState from, JobEvent event, boolean hasFiles, boolean allFilesDone) {
        if (from.isFinal()) {
            return reject(from, event);
        }
        return switch (event) {
            case RESUME -> resume(from, hasFiles, allFilesDone);
            case SUSPEND, CANCEL, COMPLETE -> new Moved(switch (event) {
                case SUSPEND -> JobState.SUSPENDED;
                case CANCEL -> JobState.CANCELLED;
                default -> JobState.ACKNOWLEDGED;
            });
            case SCHEDULED -> from == JobState.QUEUED ? new Moved(JobState.CONNECTING) : reject(from, event);
            case CONNECTED -> from == JobState.CONNECTING || from == JobState.TRANSFERRING
                    ? new Moved(JobState.TRANSFERRING) : reject(from, event);
            case PREEMPTED -> from.isRunning() || from == JobState.QUEUED
                    ? new Moved(JobState.QUEUED) : reject(from, event);
            case TRANSIENT_FAILURE -> from.isRunning() ? new Moved(JobState.TRANSIENT_ERROR) : reject(from, event);
            case FATAL_FAILURE -> from.isRunning() || from == JobState.TRANSIENT_ERROR
                    ? new Moved(JobState.ERROR) : reject(from, event);
            case RETRY_DUE -> from == JobState.TRANSIENT_ERROR ? new Moved(JobState.QUEUED) : reject(from, event);
            case ALL_TRANSFERRED -> from.isRunning() ? new Moved(JobState.TRANSFERRED) : reject(from, event);
        };
    }

    private static Result resume(JobState from, boolean hasFiles, boolean allFilesDone) {
        if (!hasFiles) {
            return new Rejected(BitsCodes.BG_E_EMPTY, "the job has no files: add one before resuming");
        }
        return switch (from) {
            case SUSPENDED, ERROR, TRANSIENT_ERROR -> new Moved(allFilesDone ? JobState.TRANSFERRED : JobState.QUEUED);
            case TRANSFERRED -> new Moved(allFilesDone ? JobState.TRANSFERRED : JobState.QUEUED);
            case QUEUED, CONNECTING, TRANSFERRING -> new Moved(from);
            case ACKNOWLEDGED, CANCELLED -> reject(from, JobEvent.RESUME);
        };
    }

    private static Rejected reject(JobState from, JobEvent event) {
        return new Rejected(BitsCodes.BG_E_INVALID_STATE,
                event.name().toLowerCase(java.util.Locale.ROOT) + " is not allowed in state " + from);
    }
}
