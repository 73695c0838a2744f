package io.jbits.spi;

import java.io.IOException;
import java.net.URI;

/**
 * Uploads one local file to a remote name, in sessions that survive a restart of either end: the BITS upload
 * protocol ([MC-BUP]) over HTTP(S), or a plain write over SMB.
 *
 * <p>The engine persists the opaque {@code sessionState} a transport reports, and hands it back on the next
 * attempt so the same session continues from the server's offset. A transport never decides job states; it
 * throws {@link TransferFailure} for classified errors and {@link IOException} for network failures.
 */
public interface UploadTransport extends AutoCloseable {

    /** True when this transport can upload to the URL. */
    boolean handlesUpload(URI remote);

    /**
     * Uploads {@code request.localFile()} from where the server's session stands (a new session when the state is
     * empty or the server no longer knows it), until every byte is acknowledged or {@code progress} asks to stop.
     * For upload-reply jobs the session stays open after the last fragment, so the reply can be fetched before
     * {@link #closeSession}; for plain uploads the transport closes it itself.
     */
    UploadOutcome upload(UploadRequest request, UploadProgress progress) throws IOException, TransferFailure;

    /** Ends a finished session (Close-Session), after its reply was fetched. */
    void closeSession(UploadRequest request) throws IOException, TransferFailure;

    /** Abandons a session (Cancel-Session): the server deletes what it received. */
    void cancelSession(UploadRequest request) throws IOException, TransferFailure;

    @Override
    default void close() throws IOException {
    }
}
