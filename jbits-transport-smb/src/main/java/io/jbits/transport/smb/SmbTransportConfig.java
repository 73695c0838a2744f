package io.jbits.transport.smb;

import java.time.Duration;
import java.util.Objects;

/**
 * The SMB transport's knobs.
 *
 * @param timeout how long one SMB request (read, write, create) may wait for its answer before the connection counts
 *     as lost; also the TCP connect timeout
 * @param chunkBytes the most bytes one read or write request moves (the server's negotiated maximum caps it)
 */
public record SmbTransportConfig(Duration timeout, int chunkBytes) {
    public SmbTransportConfig {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (chunkBytes < 4096) {
            throw new IllegalArgumentException("chunkBytes < 4096: " + chunkBytes);
        }
    }

    /** 60 s per request, 1 MiB per read or write. */
    public static SmbTransportConfig defaults() {
        return new SmbTransportConfig(Duration.ofSeconds(60), 1 << 20);
    }

    public SmbTransportConfig withTimeout(Duration t) {
        return new SmbTransportConfig(t, chunkBytes);
    }
}
