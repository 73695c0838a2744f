package io.jbits.daemon;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Linux's view of the network from {@code /proc/net} (of this process's network namespace): which interface carries
 * the route to an address ({@code route}, {@code ipv6_route}), and how many bytes an interface moved ({@code dev}).
 * Elsewhere, or when the files cannot be read, it knows nothing and scavenging goes by round trips alone.
 */
final class LinkCounters {
    /** Bytes an interface received and sent since it came up. */
    record Bytes(long rx, long tx) {
    }

    private final Path procNet;

    LinkCounters(Path procNet) {
        this.procNet = procNet;
    }

    /** The running system's {@code /proc/net}. */
    static LinkCounters system() {
        return new LinkCounters(Path.of("/proc/net"));
    }

    /**
     * The interface the kernel routes {@code address} through: the matching route with the longest prefix (then the
     * lowest metric); "lo" for loopback addresses, which the routing files do not list.
     */
    Optional<String> interfaceFor(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return Optional.of("lo");
        }
        try {
            return switch (address) {
                case Inet4Address v4 -> route4(v4);
                case Inet6Address v6 -> route6(v6);
                default -> Optional.empty();
            };
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The byte counters of {@code iface}, if it exists. */
    Optional<Bytes> read(String iface) {
        try {
            for (String line : lines("dev")) {
                int colon = line.indexOf(':');
                if (colon < 0 || !line.substring(0, colon).strip().equals(iface)) {
                    continue;
                }
                String[] f = line.substring(colon + 1).strip().split("\\s+");
                // receive: bytes packets errs drop fifo frame compressed multicast; transmit: bytes ...
                return Optional.of(new Bytes(Long.parseLong(f[0]), Long.parseLong(f[8])));
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable or unexpected file: no counters
        }
        return Optional.empty();
    }

    /** {@code route}: Iface Destination Gateway Flags RefCnt Use Metric Mask ..., addresses as host-order hex. */
    private Optional<String> route4(Inet4Address address) throws IOException {
        int ip = toInt(address.getAddress());
        String best = null;
        int bestPrefix = -1;
        long bestMetric = Long.MAX_VALUE;
        for (String line : lines("route")) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 8 || f[0].equals("Iface") || (Integer.parseInt(f[3], 16) & 1) == 0) {
                continue;   // header, or a route that is not up (RTF_UP)
            }
            int dest = Integer.reverseBytes(Integer.parseUnsignedInt(f[1], 16));
            int mask = Integer.reverseBytes(Integer.parseUnsignedInt(f[7], 16));
            long metric = Long.parseLong(f[6]);
            int prefix = Integer.bitCount(mask);
            if ((ip & mask) == dest && (prefix > bestPrefix || prefix == bestPrefix && metric < bestMetric)) {
                best = f[0];
                bestPrefix = prefix;
                bestMetric = metric;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code ipv6_route}: dest prefixlen src srcprefixlen nexthop metric refcnt use flags iface, hex. */
    private Optional<String> route6(Inet6Address address) throws IOException {
        byte[] ip = address.getAddress();
        String best = null;
        int bestPrefix = -1;
        long bestMetric = Long.MAX_VALUE;
        for (String line : lines("ipv6_route")) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 10 || f[9].equals("lo") || (Long.parseLong(f[8], 16) & 1) == 0) {
                continue;
            }
            byte[] dest = HexFormat.of().parseHex(f[0]);
            int prefix = Integer.parseInt(f[1], 16);
            long metric = Long.parseLong(f[5], 16);
            if (samePrefix(ip, dest, prefix) && (prefix > bestPrefix || prefix == bestPrefix && metric < bestMetric)) {
                best = f[9];
                bestPrefix = prefix;
                bestMetric = metric;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean samePrefix(byte[] a, byte[] b, int bits) {
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static int toInt(byte[] b) {
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    private List<String> lines(String name) throws IOException {
        return Files.readAllLines(procNet.resolve(name), StandardCharsets.US_ASCII);
    }
}
