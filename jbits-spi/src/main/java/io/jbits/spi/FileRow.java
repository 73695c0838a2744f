package io.jbits.spi;

import java.util.Objects;

/**
 * One file of a job as the {@link JobStore} keeps it.
 *
 * @param index position in the job, from 0
 * @param localPath the final local name (absolute)
 * @param tempPath the temporary file beside the final name that receives the bytes
 * @param bytesTotal the remote entity's size, or -1 while unknown
 * @param bytesTransferred bytes that are durably in the temporary file (checkpointed)
 * @param etag the validator of the entity being fetched, or null
 * @param lastModified the Last-Modified value of that entity, verbatim, or null
 * @param transportState opaque JSON of the transport (upload session and the like); "{}" when none
 */
public record FileRow(String jobId, int index, String remoteUrl, String localPath, String tempPath,
                      long bytesTotal, long bytesTransferred, boolean completed, String etag, String lastModified,
                      String transportState) {
    public FileRow {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(remoteUrl, "remoteUrl");
        Objects.requireNonNull(localPath, "localPath");
        transportState = transportState == null ? "{}" : transportState;
    }
}
