package io.jbits.spi;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;

/**
 * The answer to a {@link RemoteRequest}: where its bytes belong in the entity, what the entity is now, and the
 * bytes. Closing it before the end abandons the rest (the connection is not reused).
 */
public interface RemoteBody extends Closeable {

    /**
     * Position in the entity of the first byte that {@link #read} returns: the requested offset when the server
     * honoured the range, 0 when it sent the whole entity (range ignored, or If-Range found the entity changed).
     */
    long offset();

    /** The entity as the server describes it now (size -1 when the server did not say). */
    Validator validator();

    /** The URL that answered, after redirects. */
    URI finalUri();

    /**
     * True when the job asked for redirects to be reported (BITS's {@code BG_HTTP_REDIRECT_POLICY_ALLOW_REPORT}):
     * the file's remote name then becomes {@link #finalUri()}.
     */
    default boolean reportFinalUri() {
        return false;
    }

    /**
     * Reads body bytes into {@code dst}. Returns the count, or -1 at the end of the body. Throws when the
     * connection breaks or the body ends before its announced length.
     */
    int read(ByteBuffer dst) throws IOException;
}
