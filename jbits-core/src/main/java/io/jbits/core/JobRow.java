package io.jbits.core;

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
 * @param options transport and job options as JSON text, opaque to the store (later issues add fields there
 *     without a schema change); "{}" when none
 * @param transferCompleted when the job reached TRANSFERRED, or null
 * @param error the current error, or null
 */
public record JobRow(String id, String name, String description, JobType type, Priority priority, String owner,
                     JobState state, Instant created, Instant modified, Instant transferCompleted,
                     Duration minRetryDelay, Duration noProgressTimeout, int errorCount, JobError error,
                     String options) {
    public JobRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        options = options == null ? "{}" : options;
    }

    /** The row with its options' secrets masked. */
    @Override
    public String toString() {
        return "JobRow[id=" + id + ", name=" + name + ", type=" + type + ", state=" + state + ", priority="
                + priority + ", owner=" + owner + ", errorCount=" + errorCount + ", error=" + error + ", options="
                + CredentialOptions.redact(options) + "]";
    }
}
