package io.jbits.transport.smb;

import io.jbits.spi.TransportFactory;
import io.jbits.spi.TransportSet;
import io.jbits.spi.TransportSettings;
import java.util.List;

/** SMB remote names, for downloads and uploads alike; found by the wiring as a service. */
public final class SmbTransportFactory implements TransportFactory {
    @Override
    public TransportSet open(TransportSettings settings) {
        SmbTransport smb = SmbTransport.create(SmbTransportConfig.defaults());
        return new TransportSet(List.of(smb), List.of(smb));
    }
}
