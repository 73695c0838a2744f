package io.jbits.transport.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.DnsResolver;

/** A resolver for tests that answers only {@code 127.0.0.1}: no name a fuzzer makes up ever reaches a real resolver. */
public final class LoopbackOnlyResolver implements DnsResolver {
    /** The one instance; it keeps no state. */
    public static final DnsResolver INSTANCE = new LoopbackOnlyResolver();

    private LoopbackOnlyResolver() {
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        if (host.equals("127.0.0.1")) {
            return new InetAddress[] {InetAddress.getLoopbackAddress()};
        }
        throw new UnknownHostException(host + " (this test resolves nothing else)");
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return resolve(host)[0].getHostName();
    }
}
