package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload server under clients that break the rules on purpose: oversized and malformed heads, absurd totals,
 * session floods, connections held open in silence. Every one gets a clear status (or loses its connection), the
 * server goes on serving others, and nothing is written outside the upload directory.
 */
class HostileUploadClientsTest {
    private static final String SESSION_NOT_FOUND = "0x8020001F";

    @TempDir
    Path temp;
    private Path uploads;
    private FileServer server;
    private BitsUploadHandler handler;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(UploadConfig config, Duration idleTimeout) throws IOException {
        Path served = Files.createDirectories(temp.resolve("served"));
        handler = new BitsUploadHandler(config, Clock.systemUTC(), BitsUploadHandler.NOTIFY_TIMEOUT);
        server = FileServer.builder(new ServeConfig(served, "127.0.0.1", 0)).handler(handler)
                .idleTimeout(idleTimeout).start();
    }

    private void start(UploadConfig config) throws IOException {
        start(config, FileServer.DEFAULT_IDLE_TIMEOUT);
    }

    private UploadConfig uploadsConfig() throws IOException {
        uploads = Files.createDirectories(temp.resolve("uploads"));
        return UploadConfig.of(uploads);
    }

    private BitsWire wire() throws IOException {
        BitsWire w = new BitsWire(server.port());
        open.add(w);
        return w;
    }

    /** The server still takes a whole upload from a well-behaved client. */
    private void assertStillServes() throws IOException {
        byte[] data = TestData.randomBytes(100_000, 9);
        String name = "/up/after-" + System.nanoTime() + ".bin";
        try (BitsWire w = new BitsWire(server.port())) {
            w.upload(name, data, 30_000);
        }
        assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(uploads.resolve(name.substring(1)))),
                "an honest upload after the hostile one arrives intact");
    }

    /** Sends raw bytes on a new connection and returns the status of the answer, or -1 when it was closed. */
    private int rawStatus(byte[] request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (SocketException e) {
                // the server may close before it has read everything; its answer is still in our buffer
            }
            String line = firstLine(s.getInputStream());
            return line == null ? -1 : Integer.parseInt(line.split(" ")[1]);
        }
    }

    private static String firstLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        try {
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                b.append((char) c);
            }
        } catch (SocketException e) {
            return b.isEmpty() ? null : b.toString().strip();
        }
        return b.isEmpty() ? null : b.toString().strip();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void oversizedHeadsAre431AndTheServerGoesOn() throws Exception {
        start(uploadsConfig());
        String big = "BITS_POST /up/a.bin HTTP/1.1\r\nHost: x\r\nBITS-Packet-Type: Ping\r\nContent-Length: 0\r\n"
                + "X-Big: " + "a".repeat(1 << 20) + "\r\n\r\n";
        StringBuilder many = new StringBuilder("BITS_POST /up/a.bin HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 20_000; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        many.append("\r\n");

        assertEquals(431, rawStatus(ascii(big)), "a 1 MiB header");
        assertEquals(431, rawStatus(ascii(many.toString())), "20,000 headers");
        assertEquals(414, rawStatus(ascii("BITS_POST /" + "a".repeat(1 << 20) + " HTTP/1.1\r\nHost: x\r\n\r\n")),
                "a 1 MiB request target");
        assertStillServes();
    }

    @Test
    void malformedHeadsAre400AndTheServerGoesOn() throws Exception {
        start(uploadsConfig());
        List<String> heads = List.of(
                "BITS_POST\r\n\r\n",
                "BITS_POST /up/a.bin HTTP/9.9\r\nHost: x\r\n\r\n",
                "BITS_POST /up/a.bin HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                "BITS_POST /up/a.bin HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
                "BITS_POST /up/a.bin HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                "BITS_POST /up/a.bin HTTP/1.1\r\nHost: x\r\nBad Header Name: v\r\n\r\n",
                "BITS_POST /up/a.bin HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n"
                        + "\r\nzz\r\n",
                "\u0000\u0001\u0002garbage\r\n\r\n");
        for (String head : heads) {
            int status = rawStatus(ascii(head));
            assertTrue(status == -1 || status >= 400 && status < 500 || status == 505,
                    "answered " + status + " to " + head.replace("\r\n", "\\r\\n"));
        }
        assertStillServes();
        assertNothingOutsideUploads();
    }

    @Test
    void hugeContentRangeTotalsAllocateNothingAndNumbersBeyondALongAre400() throws Exception {
        start(uploadsConfig());
        BitsWire w = wire();
        String id = w.createSession("/up/huge.bin");
        byte[] ten = TestData.randomBytes(10, 1);
        BitsWire.Reply ok = w.packet("/up/huge.bin", "Fragment", List.of("BITS-Session-Id: " + id,
                "Content-Range: bytes 0-9/" + Long.MAX_VALUE), ten);
        assertEquals(200, ok.status(), ok::toString);
        assertEquals("10", ok.header("BITS-Received-Content-Range"));
        long onDisk;
        try (Stream<Path> files = Files.walk(uploads)) {
            onDisk = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertTrue(onDisk < 4096, "a total of Long.MAX_VALUE bytes reserves nothing: " + onDisk + " bytes on disk");

        String id2 = w.createSession("/up/huge2.bin");
        for (String range : List.of("bytes 0-9/99999999999999999999", "bytes 0-9/9223372036854775808",
                "bytes 0-9223372036854775807/9223372036854775807", "bytes -1-8/10", "bytes 9-0/10",
                "bytes 0-9/0", "bytes 0-9/-10", "bytes 0x0-0x9/10")) {
            BitsWire.Reply r = w.packet("/up/huge2.bin", "Fragment", List.of("BITS-Session-Id: " + id2,
                    "Content-Range: " + range), ten);
            assertEquals(400, r.status(), range + " answered " + r);
            assertEquals("0x80070057", r.header("BITS-Error-Code"), range);
        }
        w.cancel("/up/huge.bin", id);
        assertStillServes();
    }

    @Test
    void fragmentsForUnknownOrForgedSessionsAre500SessionNotFoundAndCreateNothing() throws Exception {
        start(uploadsConfig());
        BitsWire w = wire();
        byte[] data = TestData.randomBytes(100, 2);
        for (String id : List.of("{00000000-0000-0000-0000-000000000000}", "{../../../etc/passwd}", "..",
                "{" + java.util.UUID.randomUUID() + "}", "%2e%2e%2f", "{" + "A".repeat(90) + "}", "/tmp")) {
            BitsWire.Reply r = w.fragment("/up/x.bin", id, data, 0, 100);
            assertEquals(500, r.status(), id + " answered " + r);
            assertEquals(SESSION_NOT_FOUND, r.header("BITS-Error-Code"), id);
        }
        assertEquals(0, handler.openSessions());
        assertNothingOutsideUploads();
        try (Stream<Path> files = Files.walk(uploads)) {
            assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "nothing written");
        }
    }

    @Test
    void aSessionFloodStopsAtThePerClientLimitAndOtherClientsAreStillServed() throws Exception {
        start(uploadsConfig().withMaxSessionsPerClient(20));
        BitsWire w = wire();
        int created = 0;
        int refused = 0;
        for (int i = 0; i < 500; i++) {
            BitsWire.Reply r = w.create("/up/flood-" + i + ".bin");
            if (r.status() == 200) {
                created++;
            } else {
                assertEquals(503, r.status(), r::toString);
                refused++;
            }
        }
        assertEquals(20, created, "sessions granted to the flooding client");
        assertEquals(480, refused);
        assertEquals(20, handler.openSessions());
        try (Stream<Path> dirs = Files.list(uploads.resolve(UploadConfig.DEFAULT_SESSION_DIR_NAME))) {
            assertEquals(20, dirs.count(), "session directories on disk");
        }
        // Another client address (127.0.0.2 is loopback too) is not held back by the flood.
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5_000);
            s.getOutputStream().write(ascii("BITS_POST /up/other.bin HTTP/1.1\r\nHost: x\r\n"
                    + "BITS-Packet-Type: Create-Session\r\nBITS-Supported-Protocols: " + BitsWire.PROTOCOL
                    + "\r\nContent-Length: 0\r\n\r\n"));
            s.setSoTimeout(10_000);
            assertEquals("HTTP/1.1 200 OK", firstLine(s.getInputStream()), "another client creates a session");
        }
    }

    @Test
    void slowClientsLoseTheirConnectionAfterTheIdleTimeoutAndAStalledFragmentIsNotCounted() throws Exception {
        start(uploadsConfig(), Duration.ofSeconds(1));
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
            open.add(s);
            s.getOutputStream().write(ascii("BITS_POST /up/slow.bin HTTP/1.1\r\nHost: x\r\nBITS-Pa"));
            slow.add(s);
        }
        BitsWire w = wire();
        String id = w.createSession("/up/stalled.bin");
        byte[] data = TestData.randomBytes(200_000, 3);
        Socket stalled = new Socket(InetAddress.getLoopbackAddress(), server.port());
        open.add(stalled);
        stalled.getOutputStream().write(ascii("BITS_POST /up/stalled.bin HTTP/1.1\r\nHost: x\r\n"
                + "BITS-Packet-Type: Fragment\r\nBITS-Session-Id: " + id + "\r\nContent-Range: bytes 0-199999/200000"
                + "\r\nContent-Length: 200000\r\n\r\n"));
        stalled.getOutputStream().write(data, 0, 50_000);
        stalled.getOutputStream().flush();
        slow.add(stalled);

        long started = System.nanoTime();
        for (Socket s : slow) {
            s.setSoTimeout(15_000);
            try {
                String line = firstLine(s.getInputStream());
                assertTrue(line == null || line.startsWith("HTTP/1.1 4") || line.startsWith("HTTP/1.1 5"),
                        "a stalled request gets an error or a closed connection: " + line);
                // an error answer is followed by the close
                while (s.getInputStream().read() >= 0) {
                    // drain to the end
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("a silent connection was still open after 15 s", e);
            } catch (SocketException e) {
                // reset by the server: closed, which is the point
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(Duration.ofSeconds(12)) < 0, "51 stalled connections closed in " + took);

        // The stalled fragment was not acknowledged, so it counts for nothing: the upload starts again at 0.
        BitsWire again = wire();
        BitsWire.Reply resent = again.fragment("/up/stalled.bin", id, data, 0, 100_000);
        assertEquals(200, resent.status(), resent::toString);
        assertEquals("100000", resent.header("BITS-Received-Content-Range"));
        again.fragment("/up/stalled.bin", id, data, 100_000, 100_000);
        again.close("/up/stalled.bin", id);
        assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(uploads.resolve("up/stalled.bin"))));
    }

    private void assertNothingOutsideUploads() throws IOException {
        try (Stream<Path> files = Files.walk(temp)) {
            List<Path> outside = files.filter(p -> !p.startsWith(uploads) && !Files.isDirectory(p)).toList();
            assertEquals(List.of(), outside, "files outside the upload directory");
        }
    }
}
