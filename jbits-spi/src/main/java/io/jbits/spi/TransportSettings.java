package io.jbits.spi;

import java.nio.file.Path;

/**
 * What every transport of an engine shares, whatever its kind.
 *
 * @param caFile PEM certificates every job trusts besides the system's trust store ({@code JBITS_CA_FILE}), or null
 */
public record TransportSettings(Path caFile) {
    /** Only the system's trust store. */
    public static TransportSettings defaults() {
        return new TransportSettings(null);
    }
}
