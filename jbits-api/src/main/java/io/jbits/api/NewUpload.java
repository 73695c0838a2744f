package io.jbits.api;

import java.util.Objects;

/**
 * One upload job of {@link TransferManager#startUploads}: the job to create (an upload or upload-reply job) and its
 * one file (BITS allows one file per upload job).
 */
public record NewUpload(NewJob job, NewFile file) {
    public NewUpload {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(file, "file");
    }
}
