package io.jbits.api;

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
    static JobListener of(java.util.function.Consumer<JobEvent> each) {
        java.util.Objects.requireNonNull(each, "each");
        return new JobListener() {
            @Override
            public void onEvent(JobEvent event) {
                each.accept(event);
            }
        };
    }
}
