package io.jbits.spi;

import io.jbits.api.JobError;
import java.util.Objects;

/**
 * A failure a transport has already classified: the BITS error to report, transient or fatal. Transports throw
 * this for protocol answers (HTTP statuses, refused redirects); plain {@link java.io.IOException}s are network
 * failures, which the engine treats as transient.
 */
public final class TransferFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient JobError error;

    public TransferFailure(JobError error) {
        super(error.message());
        this.error = Objects.requireNonNull(error, "error");
    }

    public TransferFailure(JobError error, Throwable cause) {
        super(error.message(), cause);
        this.error = Objects.requireNonNull(error, "error");
    }

    public JobError error() {
        return error;
    }
}
