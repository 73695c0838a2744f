package io.jbits.api;

import java.util.Objects;

/**
 * One file for {@link TransferManager#addFiles}: the remote URL and the local path (absolute). For a download the
 * URL is the source; for an upload the local file is.
 */
public record NewFile(String remoteUrl, String localPath) {
    public NewFile {
        Objects.requireNonNull(remoteUrl, "remoteUrl");
        Objects.requireNonNull(localPath, "localPath");
    }
}
