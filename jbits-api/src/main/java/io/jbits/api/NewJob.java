package io.jbits.api;

import java.util.Objects;

/**
 * What {@link TransferManager#create} needs: a display name, a type, a priority and a description.
 *
 * @param name display name, at most 256 characters, need not be unique
 * @param description at most 1,024 characters; may be empty
 */
public record NewJob(String name, JobType type, Priority priority, String description) {
    public NewJob {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(priority, "priority");
        description = description == null ? "" : description;
    }

    /** A NORMAL-priority download job, the BITS default. */
    public static NewJob download(String name) {
        return new NewJob(name, JobType.DOWNLOAD, Priority.NORMAL, "");
    }

    public NewJob withPriority(Priority p) {
        return new NewJob(name, type, p, description);
    }

    public NewJob withDescription(String d) {
        return new NewJob(name, type, priority, d);
    }
}
