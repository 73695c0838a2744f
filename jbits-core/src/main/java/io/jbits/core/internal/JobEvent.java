package io.jbits.core.internal;

/** What can happen to a job: an owner's call, a scheduler decision, or an outcome of a transfer. */
public enum JobEvent {
    /** The owner resumes the job. */
    RESUME,
    /** The owner suspends the job. */
    SUSPEND,
    /** The owner cancels the job. */
    CANCEL,
    /** The owner completes the job (downloads: keep the finished files). */
    COMPLETE,
    /** The scheduler gives the job its turn. */
    SCHEDULED,
    /** The first answer from a server arrived. */
    CONNECTED,
    /** A higher priority, the end of a time slice or a service stop takes the turn away. */
    PREEMPTED,
    /** A recoverable error. */
    TRANSIENT_FAILURE,
    /** A fatal error, or a transient one after no progress for the no-progress timeout. */
    FATAL_FAILURE,
    /** The minimum retry delay has passed. */
    RETRY_DUE,
    /** The last byte of the last file arrived. */
    ALL_TRANSFERRED
}
