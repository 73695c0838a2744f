package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Body-less packets framed only by HTTP/1.1's rules: without {@code Content-Length} and {@code Transfer-Encoding}
 * a request has an empty body (RFC 9112 §6.3), and some non-Windows BITS clients send them that way.
 */
class UnframedPacketsTest {

    @TempDir
    Path temp;

    private UploadServer server;
    private BitsWire wire;
    private Path uploads;

    @BeforeEach
    void start() throws Exception {
        uploads = Files.createDirectories(temp.resolve("uploads"));
        server = UploadServer.start(temp.resolve("served"), UploadConfig.of(uploads));
        wire = server.wire();
    }

    @AfterEach
    void stop() throws Exception {
        wire.close();
        server.close();
    }

    private BitsWire.Reply unframed(String type, String... headers) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of(headers));
        all.add("BITS-Packet-Type: " + type);
        return wire.exchange("BITS_POST", "/x.bin", all, null);
    }

    @Test
    void aPingWithoutContentLengthGets200() throws Exception {
        BitsWire.Reply reply = unframed("Ping");

        assertEquals(200, reply.status(), reply::toString);
        assertEquals("Ack", reply.header("BITS-Packet-Type"));
    }

    @Test
    void aWholeUploadWhoseBodyLessPacketsHaveNoContentLengthArrives() throws Exception {
        BitsWire.Reply created = unframed("Create-Session", "BITS-Supported-Protocols: " + BitsWire.PROTOCOL);
        assertEquals(200, created.status(), created::toString);
        String id = created.header("BITS-Session-Id");
        byte[] data = "twelve bytes".getBytes(StandardCharsets.US_ASCII);

        BitsWire.Reply fragment = wire.fragment("/x.bin", id, data, 0, data.length);
        BitsWire.Reply closed = unframed("Close-Session", "BITS-Session-Id: " + id);

        assertEquals(200, fragment.status(), fragment::toString);
        assertEquals(200, closed.status(), closed::toString);
        assertEquals("twelve bytes", Files.readString(uploads.resolve("x.bin")));
    }

    @Test
    void aCancelWithoutContentLengthEndsTheSession() throws Exception {
        String id = wire.createSession("/x.bin");

        BitsWire.Reply cancelled = unframed("Cancel-Session", "BITS-Session-Id: " + id);
        BitsWire.Reply again = unframed("Cancel-Session", "BITS-Session-Id: " + id);

        assertEquals(200, cancelled.status(), cancelled::toString);
        assertEquals(500, again.status(), "the session is gone");
        assertEquals("0x8020001F", again.header("BITS-Error-Code"));
    }

    @Test
    void aChunkedPingWithAnEmptyBodyGets200AndOneWithABodyGets400() throws Exception {
        BitsWire.Reply empty = wire.exchange("BITS_POST", "/x.bin", List.of("BITS-Packet-Type: Ping",
                "Transfer-Encoding: chunked"), "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        BitsWire.Reply withBody = wire.exchange("BITS_POST", "/x.bin", List.of("BITS-Packet-Type: Ping",
                "Transfer-Encoding: chunked"), "3\r\nabc\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertEquals(200, empty.status(), empty::toString);
        assertEquals(400, withBody.status(), withBody::toString);
        assertEquals("0x80070057", withBody.header("BITS-Error-Code"));
        assertTrue(TestData.filesBelow(uploads).stream().allMatch(f -> f.startsWith(".jbits-sessions")));
    }
}
