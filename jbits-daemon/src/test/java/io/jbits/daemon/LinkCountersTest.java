package io.jbits.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes and counters read from copies of Linux's /proc/net files, and the switch that turns scavenging off. */
class LinkCountersTest {
    @TempDir
    Path procNet;

    private LinkCounters counters() throws IOException {
        Files.writeString(procNet.resolve("route"), """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
                wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
                eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
                veth1\t00E7010A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
                down0\t0000000A\t00000000\t0000\t0\t0\t0\t000000FF\t0\t0\t0
                """);
        Files.writeString(procNet.resolve("ipv6_route"), """
                fd000000000000000000000000000000 40 00000000000000000000000000000000 00 \
                00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
                00000000000000000000000000000000 00 00000000000000000000000000000000 00 \
                fd000000000000000000000000000001 00000400 00000002 00000000 00000003    wlan0
                """);
        Files.writeString(procNet.resolve("dev"), """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo: 2470381 7756678    0    0    0     0          0         0 2470381 7756678    0    0    0     0       0          0
                  eth0: 9000000000 12345    0    0    0     0          0         0   77777  1234    0    0    0     0       0          0
                """);
        Files.writeString(procNet.resolve("tcp"), """
                  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
                   0: 0100007F:A0E7 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1178945 1
                   1: 0102E70A:D2F0 0101E70A:0050 01 00000000:00010000 00:00000000 00000000  1000        0 2000 1
                   2: 0102E70A:D2F2 0101E70A:0050 01 00000000:00000200 00:00000000 00000000  1001        0 2001 1
                   3: 0102E70A:D2F4 0101E70A:01BB 01 00000000:00000300 00:00000000 00000000  1000        0 2002 1
                   4: 0102E70A:D2F6 0101E70A:0050 06 00000000:00000400 00:00000000 00000000  1000        0 2003 1
                """);
        Files.writeString(procNet.resolve("tcp6"), """
                  sl  local_address                         remote_address                        st tx_queue rx_queue
                   0: 0000000000000000FFFF00000102E70A:D300 0000000000000000FFFF00000101E70A:0050 01 00000000:00000020 \
                00:00000000 00000000  1000        0 3000 1
                """);
        return new LinkCounters(procNet, 1000);
    }

    @Test
    void theLongestMatchingPrefixNamesTheInterface() throws IOException {
        LinkCounters c = counters();
        assertEquals(Optional.of("veth1"), c.interfaceFor(InetAddress.getByName("10.1.231.7")));
        assertEquals(Optional.of("eth0"), c.interfaceFor(InetAddress.getByName("192.0.2.9")));
        assertEquals(Optional.of("eth0"), c.interfaceFor(InetAddress.getByName("203.0.113.1")),
                "the default route with the lower metric");
        assertEquals(Optional.of("lo"), c.interfaceFor(InetAddress.getByName("127.0.0.1")));
        assertEquals(Optional.of("eth0"), c.interfaceFor(InetAddress.getByName("fd00::42")));
        assertEquals(Optional.of("wlan0"), c.interfaceFor(InetAddress.getByName("2001:db8::1")));
    }

    @Test
    void countersAreTheReceivedAndSentBytesOfTheInterface() throws IOException {
        LinkCounters c = counters();
        assertEquals(Optional.of(new LinkCounters.Bytes(9_000_000_000L, 77_777)), c.read("eth0"));
        assertEquals(Optional.empty(), c.read("eth9"));
    }

    @Test
    void unreadBytesAreThoseOfThisUsersEstablishedConnectionsToTheRemote() throws IOException {
        LinkCounters c = counters();
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName("10.231.1.1"), 80);
        assertEquals(0x10000 + 0x20, c.unreadBytes(remote), "IPv4 and IPv4-mapped sockets; not another user's, "
                + "another port's or a closing one's");
        assertEquals(0, c.unreadBytes(new InetSocketAddress(InetAddress.getByName("10.231.1.9"), 80)));
    }

    @Test
    void withoutTheFilesNothingIsKnown() throws IOException {
        LinkCounters c = new LinkCounters(procNet.resolve("absent"), 1000);
        assertEquals(Optional.empty(), c.interfaceFor(InetAddress.getByName("10.0.0.1")));
        assertEquals(Optional.empty(), c.read("eth0"));
        assertEquals(0, c.unreadBytes(new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 80)));
    }

    @Test
    void theRunningSystemRoutesLoopbackThroughLo() throws IOException {
        assertEquals(Optional.of("lo"), LinkCounters.system().interfaceFor(InetAddress.getLoopbackAddress()));
        assertTrue(LinkCounters.system().read("lo").isPresent(), "/proc/net/dev lists lo");
    }

    @Test
    void scavengingIsOnUnlessTheEnvironmentTurnsItOff() {
        assertTrue(ScavengingGovernor.enabledBy(Map.of()));
        assertTrue(ScavengingGovernor.enabledBy(Map.of("JBITS_SCAVENGE", "on")));
        assertFalse(ScavengingGovernor.enabledBy(Map.of("JBITS_SCAVENGE", " OFF ")));
        var e = assertThrows(IllegalArgumentException.class,
                () -> ScavengingGovernor.enabledBy(Map.of("JBITS_SCAVENGE", "maybe")));
        assertEquals("JBITS_SCAVENGE=maybe is neither on nor off", e.getMessage());
    }
}
