package io.jbits.transport.http;

import io.jbits.spi.TransportFactory;
import io.jbits.spi.TransportSet;
import io.jbits.spi.TransportSettings;
import io.jbits.transport.http.upload.BitsUploadClient;
import java.io.IOException;
import java.util.List;

/** HTTP(S) downloads and BITS uploads ([MC-BUP]) over one configuration, found by the wiring as a service. */
public final class HttpTransportFactory implements TransportFactory {
    @Override
    public TransportSet open(TransportSettings settings) {
        HttpTransportConfig config = HttpTransportConfig.defaults().withCaFile(settings.caFile());
        HttpTransport http = HttpTransport.create(config);
        try {
            return new TransportSet(List.of(http), List.of(BitsUploadClient.create(config)));
        } catch (RuntimeException e) {
            try {
                http.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }
}
