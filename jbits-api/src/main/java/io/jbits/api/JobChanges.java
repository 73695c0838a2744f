package io.jbits.api;

import java.time.Duration;

/**
 * Property changes for {@link TransferManager#change}: each field that is not null replaces the job's value.
 *
 * @param minRetryDelay at least one second
 * @param noProgressTimeout zero means every error is fatal
 */
public record JobChanges(String name, String description, Priority priority, Duration minRetryDelay,
                         Duration noProgressTimeout) {

    /** No change at all. */
    public static JobChanges none() {
        return new JobChanges(null, null, null, null, null);
    }

    public JobChanges withName(String v) {
        return new JobChanges(v, description, priority, minRetryDelay, noProgressTimeout);
    }

    public JobChanges withDescription(String v) {
        return new JobChanges(name, v, priority, minRetryDelay, noProgressTimeout);
    }

    public JobChanges withPriority(Priority v) {
        return new JobChanges(name, description, v, minRetryDelay, noProgressTimeout);
    }

    public JobChanges withMinRetryDelay(Duration v) {
        return new JobChanges(name, description, priority, v, noProgressTimeout);
    }

    public JobChanges withNoProgressTimeout(Duration v) {
        return new JobChanges(name, description, priority, minRetryDelay, v);
    }
}
