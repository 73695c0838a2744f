package io.jbits.core.internal;

import io.jbits.api.JobError;
import io.jbits.spi.Transport;
import io.jbits.spi.UploadTransport;
import java.net.URI;

/** What a {@link JobRun} reports to, and asks of, the engine that started it. */
interface RunHost {

    /** The transport for a remote URL, or null when none handles it. */
    Transport transportFor(URI remote);

    /** The upload transport for a remote URL, or null when none handles it. */
    UploadTransport uploadTransportFor(URI remote);

    /** A server answered for this run: CONNECTING becomes TRANSFERRING. */
    void connected(JobRun run);

    /** {@code bytes} more bytes are in a temporary file. Called very often: must be cheap and lock-free. */
    default void progress(JobRun run, long bytes) {
        progress(run, bytes, true);
    }

    /**
     * {@code bytes} more bytes are in a temporary file; {@code newBytes} is false while a transfer only fetches
     * again bytes the file already held before (a restart from zero): those count for the rate but are not progress
     * for the no-progress timeout, or a server that always breaks off at the same byte would be retried forever.
     */
    void progress(JobRun run, long bytes, boolean newBytes);

    /**
     * A file's progress or completion changed in a way the store must learn; {@code now} asks for a durable write
     * before returning.
     */
    void fileChanged(FileModel file, boolean now);

    /** A file is being written: the checkpointer should force it periodically (or stop doing so). */
    void writing(FileModel file, boolean active);

    /**
     * A file being written holds {@link Checkpointer#STEP_BYTES} or more that no checkpoint forced yet: the
     * checkpointer should force it now rather than at the end of its interval.
     */
    default void backlog(FileModel file) {
    }

    /**
     * Every byte of a downloaded file is in its temporary: make it durable (in a batch with others) and then
     * count it transferred. The run waits for that before it ends.
     */
    void written(JobRun run, FileModel file);

    /** The run handed over its last file and now waits for the files to be durable: no reason to gather more. */
    default void awaitingDurable(JobRun run) {
    }

    /** The run ended. */
    void finished(JobRun run, Outcome outcome);

    /** How a run ended. */
    sealed interface Outcome permits AllDone, Stopped, Failed {
    }

    /** Every file of the job is transferred. */
    record AllDone() implements Outcome {
    }

    /** Someone stopped the run (suspend, cancel, preemption, shutdown); progress is checkpointed. */
    record Stopped() implements Outcome {
    }

    /** A file failed; the other files were stopped and checkpointed. */
    record Failed(JobError error) implements Outcome {
    }
}
