package io.jbits.spi;

import java.net.URI;
import java.util.Objects;

/**
 * A request for the bytes of one remote file from {@code offset} on.
 *
 * @param remote the file's URL
 * @param offset the first byte wanted; 0 for the whole entity
 * @param known the validator stored for the bytes already fetched ({@link Validator#NONE} at offset 0); the
 *     transport sends it so that a changed entity comes back whole (If-Range)
 * @param owner the job's owner: connections are never shared between owners
 * @param options the job's options as JSON text ("{}" when none), for transport settings added later
 */
public record RemoteRequest(URI remote, long offset, Validator known, String owner, String options) {
    public RemoteRequest {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(known, "known");
        if (offset < 0) {
            throw new IllegalArgumentException("offset < 0: " + offset);
        }
        options = options == null ? "{}" : options;
    }

    /** The request with its options' secrets masked. */
    @Override
    public String toString() {
        return "RemoteRequest[remote=" + remote + ", offset=" + offset + ", known=" + known + ", owner=" + owner
                + ", options=" + CredentialSettings.redact(options) + "]";
    }
}
