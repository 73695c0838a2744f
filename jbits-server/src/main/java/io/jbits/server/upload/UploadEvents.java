package io.jbits.server.upload;

import io.jbits.bup.Ack;
import io.jbits.bup.PacketType;

/**
 * What a {@link BitsUploadHandler} tells an observer (metrics) as it works. Every method has an empty default, and
 * each is called on the request's thread, so an implementation must be quick and thread-safe.
 */
public interface UploadEvents {

    /** Tells nothing to no one. */
    UploadEvents NONE = new UploadEvents() {
    };

    /** A packet got its Ack; {@code type} is null for a packet whose type is missing or unknown. */
    default void answered(PacketType type, Ack ack) {
    }

    /** {@code bytes} of a fragment were written to a session's file (bytes already held are not counted). */
    default void received(long bytes) {
    }

    /** The fragment's bytes were forced to disk before its Ack, in {@code nanos}. */
    default void forced(long nanos) {
    }

    /** The server application was notified of a finished upload and answered with success, or did not. */
    default void notified(boolean succeeded) {
    }
}
