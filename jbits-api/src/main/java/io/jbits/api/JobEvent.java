package io.jbits.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to a job, as listeners and the event stream see it (BITS's JobTransferred, JobError,
 * JobModification and FileTransferred callbacks).
 *
 * <p>Each job numbers its events: {@link #seq} grows with every event of the job, also across restarts of the
 * engine (numbers may skip), so a receiver that sees a number it has already seen for the job holds a duplicate.
 * TRANSFERRED and ERROR are delivered at least once: a listener added after the event still receives it while the
 * job stays in that state, and so does every listener after a restart.
 *
 * @param kind what happened
 * @param jobId the job's full id
 * @param seq the job's event number, strictly increasing per job
 * @param time when it happened
 * @param change for {@link Kind#MODIFIED}, what changed; {@link Change#STATE} for the other kinds
 * @param state the job's state after the event
 * @param bytesTotal the job's total bytes, -1 while unknown
 * @param bytesTransferred the job's bytes transferred so far
 * @param filesTotal the job's number of files
 * @param filesTransferred how many of them are transferred
 * @param error the job's error for {@link Kind#ERROR} (and for a state change to TRANSIENT_ERROR), else null
 * @param fileIndex for {@link Kind#FILE_TRANSFERRED}, the index of the file; -1 otherwise
 * @param bytesPerSecond the job's transfer rate at the time, 0 when it is not running
 * @since 0.1 (still moving: fields may be added)
 */
public record JobEvent(Kind kind, String jobId, long seq, Instant time, Change change, JobState state,
                       long bytesTotal, long bytesTransferred, int filesTotal, int filesTransferred, JobError error,
                       int fileIndex, long bytesPerSecond) {

    public JobEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(state, "state");
    }

    /** The kinds of event, with BITS's notify flags as their {@link #flag}. */
    public enum Kind {
        /** The job reached TRANSFERRED (BG_NOTIFY_JOB_TRANSFERRED). */
        TRANSFERRED(0x1),
        /** The job reached ERROR (BG_NOTIFY_JOB_ERROR); never for TRANSIENT_ERROR. */
        ERROR(0x2),
        /** State, progress, properties or files changed (BG_NOTIFY_JOB_MODIFICATION). */
        MODIFIED(0x8),
        /** One file of the job finished (BG_NOTIFY_FILE_TRANSFERRED). */
        FILE_TRANSFERRED(0x10);

        private final int flag;

        Kind(int flag) {
            this.flag = flag;
        }

        /** BITS's notify flag for this kind. */
        public int flag() {
            return flag;
        }

        /** The name on the command line and in the event stream: {@code transferred}, {@code file-transferred}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /**
         * The kind for a label ({@code transferred}, {@code error}, {@code modified}, {@code file-transferred}),
         * case-insensitive.
         */
        public static Kind parse(String label) {
            for (Kind k : values()) {
                if (k.label().equalsIgnoreCase(label.strip()) || k.name().equalsIgnoreCase(label.strip())) {
                    return k;
                }
            }
            throw JbitsException.invalidArgument("unknown event '" + label
                    + "' (transferred, error, modified, file-transferred)");
        }
    }

    /** What a {@link Kind#MODIFIED} event changed. */
    public enum Change {
        /** The job's state. */
        STATE,
        /** Bytes moved; these events are coalesced and paced (see {@link TransferManager#addListener}). */
        PROGRESS,
        /** A property or option (name, priority, retry delay, notification command, …). */
        PROPERTIES,
        /** Files were added or a file's remote name changed. */
        FILES
    }

    /** True for coalesced progress events, the only events a slow listener may miss. */
    public boolean isProgress() {
        return kind == Kind.MODIFIED && change == Change.PROGRESS;
    }

    /** True for the events delivered at least once, again after a restart: TRANSFERRED and ERROR. */
    public boolean isSticky() {
        return kind == Kind.TRANSFERRED || kind == Kind.ERROR;
    }
}
