package io.jbits.spi;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One file to upload.
 *
 * @param remote where it goes
 * @param localFile what goes (read with positional reads; never written)
 * @param fileSize the file's size when the job took it; the transport sends exactly this many bytes
 * @param sessionState what the transport reported last time ("{}" when none): session id, host id and the like
 * @param wantReply true for upload-reply jobs: the server application's reply is expected
 * @param owner the job's owner: connections are never shared between owners
 * @param options the job's options as JSON text ("{}" when none)
 */
public record UploadRequest(URI remote, Path localFile, long fileSize, String sessionState, boolean wantReply,
                            String owner, String options) {
    public UploadRequest {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(localFile, "localFile");
        if (fileSize < 0) {
            throw new IllegalArgumentException("fileSize < 0: " + fileSize);
        }
        sessionState = sessionState == null || sessionState.isBlank() ? "{}" : sessionState;
        options = options == null ? "{}" : options;
    }

    /** The request with its options' secrets masked. */
    @Override
    public String toString() {
        return "UploadRequest[remote=" + remote + ", localFile=" + localFile + ", fileSize=" + fileSize
                + ", sessionState=" + sessionState + ", wantReply=" + wantReply + ", owner=" + owner
                + ", options=" + CredentialSettings.redact(options) + "]";
    }

    public UploadRequest withSessionState(String state) {
        return new UploadRequest(remote, localFile, fileSize, state, wantReply, owner, options);
    }
}
