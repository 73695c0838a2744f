package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import io.jbits.server.TrustedProxies;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client address of a session: from the forwarding headers of a trusted proxy only. */
class TrustedProxyTest {

    private static final InetAddress PROXY = InetAddress.ofLiteral("127.0.0.2");
    private static final InetAddress STRANGER = InetAddress.ofLiteral("127.0.0.3");

    @TempDir
    Path dir;

    private Path uploads;
    private FileServer server;

    @BeforeEach
    void start() throws IOException {
        uploads = Files.createDirectories(dir.resolve("uploads"));
        server = FileServer.builder(new ServeConfig(Files.createDirectories(dir.resolve("served")), "127.0.0.1", 0))
                .handler(new BitsUploadHandler(UploadConfig.of(uploads).withMaxSessionsPerClient(1)))
                .trustedProxies(TrustedProxies.parse("127.0.0.2/32, 10.0.0.0/8"))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The client address the server recorded for the session {@code id}. */
    private String clientOf(String id) throws IOException {
        Properties state = new Properties();
        try (InputStream in = Files.newInputStream(uploads.resolve(".jbits-sessions").resolve(id.substring(1, 37))
                .resolve("state.properties"))) {
            state.load(in);
        }
        return state.getProperty("clientAddress");
    }

    private String createFrom(InetAddress local, String target, String... headers) throws IOException {
        try (BitsWire wire = new BitsWire(server.port(), local)) {
            List<String> all = new java.util.ArrayList<>(List.of(headers));
            all.add("BITS-Supported-Protocols: " + BitsWire.PROTOCOL);
            BitsWire.Reply reply = wire.packet(target, "Create-Session", all, null);
            assertEquals(200, reply.status(), reply::toString);
            return reply.header("BITS-Session-Id");
        }
    }

    @Test
    void theProxysForwardedForNamesTheClient() throws Exception {
        String id = createFrom(PROXY, "/a.bin", "X-Forwarded-For: 192.0.2.7");

        assertEquals("192.0.2.7", clientOf(id));
    }

    @Test
    void aForgedHopLeftOfTheRealClientIsIgnored() throws Exception {
        // The client wrote "6.6.6.6"; the proxy appended the address it saw; an inner trusted proxy appended its own.
        String id = createFrom(PROXY, "/a.bin", "X-Forwarded-For: 6.6.6.6, 198.51.100.4, 10.1.2.3");

        assertEquals("198.51.100.4", clientOf(id));
    }

    @Test
    void theStandardForwardedHeaderIsReadToo() throws Exception {
        String id = createFrom(PROXY, "/a.bin", "Forwarded: for=\"[2001:db8::17]:4711\";proto=https, for=10.9.9.9",
                "X-Forwarded-For: 203.0.113.9");

        assertEquals("[2001:db8:0:0:0:0:0:17]", clientOf(id), "as Jetty writes an IPv6 client");
    }

    @Test
    void headersFromAnAddressThatIsNoTrustedProxyAreIgnored() throws Exception {
        String id = createFrom(STRANGER, "/a.bin", "X-Forwarded-For: 192.0.2.7", "Forwarded: for=192.0.2.8");

        assertEquals("127.0.0.3", clientOf(id));
    }

    @Test
    void theSessionLimitCountsTheRealClientsBehindTheProxy() throws Exception {
        createFrom(PROXY, "/1.bin", "X-Forwarded-For: 192.0.2.1");
        createFrom(PROXY, "/2.bin", "X-Forwarded-For: 192.0.2.2");
        try (BitsWire wire = new BitsWire(server.port(), PROXY)) {
            BitsWire.Reply third = wire.packet("/3.bin", "Create-Session", List.of("X-Forwarded-For: 192.0.2.1",
                    "BITS-Supported-Protocols: " + BitsWire.PROTOCOL), null);
            assertEquals(503, third.status(), "192.0.2.1 has its one session already");
        }
    }

    @Test
    void anEntryThatIsNoAddressIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrustedProxies.parse("10.0.0.0/8,proxy.example.com"));
        assertEquals(true, e.getMessage().contains("proxy.example.com"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(" , "));
    }
}
