package io.jbits.server;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * The reverse proxies and load balancers whose {@code X-Forwarded-For} and {@code Forwarded} headers are believed:
 * addresses and CIDR blocks ({@code 10.0.0.0/8}, {@code ::1}), matched by Jetty's {@link InetAddressSet}. A request
 * from anywhere else keeps its socket's address, whatever headers it sends.
 */
public final class TrustedProxies {

    private final List<String> patterns;
    private final InetAddressSet set = new InetAddressSet();

    private TrustedProxies(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        this.patterns.forEach(set::add);
    }

    /**
     * Parses a comma-separated list of addresses and CIDR blocks.
     *
     * @throws IllegalArgumentException naming an entry that is no IP address or block (host names are not taken:
     *     a proxy is trusted by its address, never by what a name server says)
     */
    public static TrustedProxies parse(String list) {
        List<String> patterns = new ArrayList<>();
        for (String raw : list.split(",")) {
            String pattern = raw.strip();
            if (pattern.isEmpty()) {
                continue;
            }
            int slash = pattern.indexOf('/');
            String address = slash < 0 ? pattern : pattern.substring(0, slash);
            try {
                InetAddress parsed = InetAddress.ofLiteral(address);
                if (slash >= 0) {
                    int bits = Integer.parseInt(pattern.substring(slash + 1));
                    if (bits < 0 || bits > parsed.getAddress().length * 8) {
                        throw new IllegalArgumentException("prefix /" + bits + " out of range");
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + pattern + "' is not an IP address or CIDR block ("
                        + e.getMessage() + ")", e);
            }
            patterns.add(pattern);
        }
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("no trusted proxy address in '" + list + "'");
        }
        return new TrustedProxies(patterns);
    }

    /** True when {@code address} is one of the trusted proxies. */
    public boolean contains(InetAddress address) {
        return address != null && set.test(address);
    }

    @Override
    public String toString() {
        return String.join(",", patterns);
    }
}
