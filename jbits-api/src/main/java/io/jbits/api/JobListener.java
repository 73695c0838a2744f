package io.jbits.api;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Receives a job's events (BITS's IBackgroundCopyCallback): override the methods you need.
 *
 * <p>Events of one job arrive in order, on a thread of the listener's own, never while jbits holds a lock; a
 * listener that blocks delays only its own events and one that throws stops nothing. When {@link #jobTransferred}
 * or {@link #jobError} throws, the event is delivered again later (with growing pauses, a few times) unless a newer
 * event of the job has been delivered meanwhile. Progress events are coalesced: a slow listener sees fewer of them,
 * never fewer state changes.
 *
 * @since 0.1
 */
public interface JobListener {

    /** The job reached TRANSFERRED; usually the place to call {@link TransferManager#complete}. */
    default void jobTransferred(JobEvent event) {
    }

    /** The job reached ERROR; {@link JobEvent#error} says why. */
    default void jobError(JobEvent event) {
    }

    /** The job's state (other than to TRANSFERRED or ERROR), progress, properties or files changed. */
    default void jobModified(JobEvent event) {
    }

    /** One file of the job is transferred. */
    default void fileTransferred(JobEvent event) {
    }

    /**
     * The kinds of event this listener receives; events of the other kinds are never delivered to it, and a
     * connected client does not even fetch them from the service. All kinds unless overridden: a listener that
     * follows a job with many files and needs no per-file news leaves out {@link JobEvent.Kind#FILE_TRANSFERRED}.
     *
     * @since 0.1
     */
    default Set<JobEvent.Kind> kinds() {
        return EnumSet.allOf(JobEvent.Kind.class);
    }

    /** Every event; the default calls the method for its kind. */
    default void onEvent(JobEvent event) {
        switch (event.kind()) {
            case TRANSFERRED -> jobTransferred(event);
            case ERROR -> jobError(event);
            case MODIFIED -> jobModified(event);
            case FILE_TRANSFERRED -> fileTransferred(event);
        }
    }

    /** A listener that hands every event to one function. */
    static JobListener of(Consumer<JobEvent> each) {
        return of(EnumSet.allOf(JobEvent.Kind.class), each);
    }

    /** A listener that hands the events of these kinds (not empty) to one function. */
    static JobListener of(Set<JobEvent.Kind> kinds, Consumer<JobEvent> each) {
        Objects.requireNonNull(each, "each");
        if (kinds.isEmpty()) {
            throw JbitsException.invalidArgument("a listener needs at least one kind of event");
        }
        Set<JobEvent.Kind> wanted = Collections.unmodifiableSet(EnumSet.copyOf(kinds));
        return new JobListener() {
            @Override
            public Set<JobEvent.Kind> kinds() {
                return wanted;
            }

            @Override
            public void onEvent(JobEvent event) {
                each.accept(event);
            }
        };
    }
}
