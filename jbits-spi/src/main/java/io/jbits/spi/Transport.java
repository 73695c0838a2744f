package io.jbits.spi;

import java.io.IOException;
import java.net.URI;

/**
 * Moves bytes for one family of remote names (http/https, smb, file). The engine asks, per file, for the bytes
 * from an offset on and decides itself what to keep: a transport never writes local files.
 */
public interface Transport extends AutoCloseable {

    /** True when this transport handles the URL's scheme. */
    boolean handles(URI remote);

    /**
     * Opens the remote file from {@code request.offset()}. Throws {@link TransferFailure} for classified protocol
     * errors (404, 503, a refused redirect, …) and {@link IOException} for network failures (reset, timeout,
     * unknown host), which the engine retries.
     */
    RemoteBody open(RemoteRequest request) throws IOException, TransferFailure;

    @Override
    default void close() throws IOException {
    }
}
