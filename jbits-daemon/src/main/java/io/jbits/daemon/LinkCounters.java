package io.jbits.daemon;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Linux's view of the network from {@code /proc/net} (of this process's network namespace): which interface carries
 * the route to an address ({@code route}, {@code ipv6_route}), how many bytes an interface moved ({@code dev}), and
 * how many received bytes wait unread on our connections ({@code tcp}, {@code tcp6}).
 * Elsewhere, or when the files cannot be read, it knows nothing and scavenging goes by round trips alone.
 */
final class LinkCounters {
    /** Bytes an interface received and sent since it came up. */
    record Bytes(long rx, long tx) {
    }

    private final Path procNet;
    private final String uid;

    /** Counters from {@code procNet}; {@code uid} owns the connections whose unread bytes count. */
    LinkCounters(Path procNet, long uid) {
        this.procNet = procNet;
        this.uid = Long.toString(uid);
    }

    /** The running system's {@code /proc/net}, for this process's user. */
    static LinkCounters system() {
        return new LinkCounters(Path.of("/proc/net"), new UnixSystem().getUid());
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

    /**
     * Bytes received on this user's established TCP connections to {@code remote} that no one has read yet (the
     * {@code rx_queue} column of {@code tcp} and {@code tcp6}); 0 when unknown.
     */
    long unreadBytes(InetSocketAddress remote) {
        byte[] ip = remote.getAddress().getAddress();
        String port = String.format(Locale.ROOT, "%04X", remote.getPort());
        String v4 = ip.length == 4 ? procHex(ip) : null;
        Set<String> wanted = new HashSet<>();
        if (v4 != null) {
            wanted.add(v4 + ":" + port);
            wanted.add("0000000000000000FFFF0000" + v4 + ":" + port);   // an IPv4-mapped IPv6 socket
        } else {
            wanted.add(procHex(ip) + ":" + port);
        }
        long unread = 0;
        for (String table : List.of("tcp", "tcp6")) {
            try {
                for (String line : lines(table)) {
                    // sl local rem st tx_queue:rx_queue tr:when retrnsmt uid ...
                    String[] f = line.strip().split("\\s+");
                    if (f.length > 7 && f[3].equals("01") && wanted.contains(f[2]) && f[7].equals(uid)) {
                        unread += Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no such table (no IPv6) or an unexpected line: count what was read
            }
        }
        return unread;
    }

    /** An address as /proc/net prints it: each 32-bit word in the host's (little-endian) byte order, in hex. */
    private static String procHex(byte[] ip) {
        StringBuilder hex = new StringBuilder();
        for (int w = 0; w < ip.length; w += 4) {
            hex.append(String.format(Locale.ROOT, "%02X%02X%02X%02X", ip[w + 3], ip[w + 2], ip[w + 1], ip[w]));
        }
        return hex.toString();
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
