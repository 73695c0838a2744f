package io.jbits.api;

/**
 * The state of a job, with the names and meanings of BITS's {@code BG_JOB_STATE}.
 *
 * <p>Every job starts SUSPENDED. ACKNOWLEDGED and CANCELLED are final: a job in either never changes again.
 */
public enum JobState {
    /** Ready to run; waiting for the scheduler. */
    QUEUED,
    /** Connecting to the server. */
    CONNECTING,
    /** Moving bytes. */
    TRANSFERRING,
    /** Created, or suspended by its owner; nothing moves until {@code resume}. */
    SUSPENDED,
    /** A fatal error; the owner must fix it and resume, complete or cancel. */
    ERROR,
    /** A recoverable error; retried after the job's minimum retry delay. */
    TRANSIENT_ERROR,
    /** Every byte has arrived; {@code complete} makes the files visible under their final names. */
    TRANSFERRED,
    /** Final: {@code complete} succeeded. */
    ACKNOWLEDGED,
    /** Final: cancelled, temporaries deleted. */
    CANCELLED;

    /** True for ACKNOWLEDGED and CANCELLED, the states a job never leaves. */
    public boolean isFinal() {
        return this == ACKNOWLEDGED || this == CANCELLED;
    }

    /** True while the job holds the scheduler's attention: QUEUED, CONNECTING or TRANSFERRING. */
    public boolean isActive() {
        return this == QUEUED || this == CONNECTING || this == TRANSFERRING;
    }

    /** True while bytes may be moving: CONNECTING or TRANSFERRING. */
    public boolean isRunning() {
        return this == CONNECTING || this == TRANSFERRING;
    }
}
