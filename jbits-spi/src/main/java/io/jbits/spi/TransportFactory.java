package io.jbits.spi;

import java.io.IOException;

/**
 * Makes one kind of transport for an engine (HTTP(S) with the BITS upload protocol, SMB, ...). Transport modules
 * name their factory in {@code META-INF/services/io.jbits.spi.TransportFactory}; the wiring finds every factory
 * on the class path with {@link java.util.ServiceLoader}, so adding a transport needs no change to the service or
 * to the embedded engine.
 */
public interface TransportFactory {
    /**
     * Opens this kind's transports. Each transport handles URLs no other factory's transport handles, so the order
     * in which factories are found does not matter.
     *
     * @throws IOException when the transports cannot be set up (a bad CA file, say)
     */
    TransportSet open(TransportSettings settings) throws IOException;
}
