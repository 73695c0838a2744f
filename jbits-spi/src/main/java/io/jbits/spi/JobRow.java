package io.jbits.spi;

import io.jbits.api.JobError;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One job as the {@link JobStore} keeps it: every property that must survive a restart of the service.
 *
 * @param options the job's options ({@link JobOptions}) as JSON text, opaque to the store; "{}" when none
 * @param transferCompleted when the job reached TRANSFERRED, or null
 * @param error the current error, or null
 * @param eventSeq the end of the event numbers the job has reserved, 0 when none: after a restart its events are
 *     numbered above it, so an event number never comes twice
 */
public record JobRow(String id, String name, String description, JobType type, Priority priority, String owner,
                     JobState state, Instant created, Instant modified, Instant transferCompleted,
                     Duration minRetryDelay, Duration noProgressTimeout, int errorCount, JobError error,
                     String options, long eventSeq) {
    public JobRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        options = options == null ? "{}" : options;
    }

    /** A row with no event numbers reserved yet. */
    public JobRow(String id, String name, String description, JobType type, Priority priority, String owner,
                  JobState state, Instant created, Instant modified, Instant transferCompleted,
                  Duration minRetryDelay, Duration noProgressTimeout, int errorCount, JobError error,
                  String options) {
        this(id, name, description, type, priority, owner, state, created, modified, transferCompleted,
                minRetryDelay, noProgressTimeout, errorCount, error, options, 0);
    }

    /** The row with its options' secrets masked. */
    @Override
    public String toString() {
        return "JobRow[id=" + id + ", name=" + name + ", type=" + type + ", state=" + state + ", priority="
                + priority + ", owner=" + owner + ", errorCount=" + errorCount + ", error=" + error + ", options="
                + CredentialSettings.redact(options) + ", eventSeq=" + eventSeq + "]";
    }
}
