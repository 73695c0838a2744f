package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jbits.bup.Hresult;
import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each row of the server's error table (docs/bits.md §8.4): status, BITS-Error-Code and BITS-Error-Context. */
class UploadErrorsConformanceTest {

    private static final String E_INVALIDARG = "0x80070057";
    private static final String E_ACCESSDENIED = "0x80070005";

    @TempDir
    Path temp;

    private Path uploads;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void createDirectories() throws IOException {
        uploads = Files.createDirectories(temp.resolve("uploads"));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : open.reversed()) {
            closeable.close();
        }
    }

    private BitsWire wire(UploadConfig config) throws IOException {
        UploadServer server = UploadServer.start(temp.resolve("served"), config);
        open.add(server);
        BitsWire wire = server.wire();
        open.add(wire);
        return wire;
    }

    private BitsWire wire() throws IOException {
        return wire(UploadConfig.of(uploads));
    }

    private static void assertError(BitsWire.Reply reply, int status, String code, String context) {
        assertEquals(status, reply.status(), reply::toString);
        assertEquals("Ack", reply.header("BITS-Packet-Type"));
        assertEquals(code, reply.header("BITS-Error-Code"), reply::toString);
        assertEquals(context, reply.header("BITS-Error-Context"), reply::toString);
        assertEquals("0", reply.header("Content-Length"));
    }

    @Test
    void anUnknownPacketTypeIs400InvalidArg() throws Exception {
        assertError(wire().packet("/x.bin", "Upload-Everything", List.of(), null), 400, E_INVALIDARG, "0x5");
    }

    @Test
    void aBitsPostWithoutPacketTypeIs400InvalidArg() throws Exception {
        BitsWire.Reply reply = wire().exchange("BITS_POST", "/x.bin", List.of("Content-Length: 0"), null);

        assertError(reply, 400, E_INVALIDARG, "0x5");
    }

    @Test
    void aFragmentWithoutContentLengthIs411InvalidArg() throws Exception {
        BitsWire wire = wire();
        String id = wire.createSession("/x.bin");

        BitsWire.Reply reply = wire.exchange("BITS_POST", "/x.bin", List.of("BITS-Packet-Type: Fragment",
                "BITS-Session-Id: " + id, "Content-Range: bytes 0-9/10"), null);

        assertError(reply, 411, E_INVALIDARG, "0x5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ping", "Create-Session", "Close-Session", "Cancel-Session"})
    void aBodyOnAPacketThatHasNoneIs400InvalidArg(String type) throws Exception {
        BitsWire wire = wire();
        String id = wire.createSession("/body.bin");

        BitsWire.Reply reply = wire.packet("/body.bin", type, List.of("BITS-Session-Id: " + id,
                "BITS-Supported-Protocols: " + BitsWire.PROTOCOL), "unexpected".getBytes());

        assertError(reply, 400, E_INVALIDARG, "0x5");
    }

    @Test
    void aHeaderLongerThan4KbIs400InvalidArg() throws Exception {
        BitsWire.Reply reply = wire().packet("/x.bin", "Create-Session", List.of(
                "BITS-Supported-Protocols: " + BitsWire.PROTOCOL, "Content-Name: " + "n".repeat(4097)), null);

        assertError(reply, 400, E_INVALIDARG, "0x5");
    }

    @Test
    void anUnknownProtocolGuidIs400InvalidArg() throws Exception {
        BitsWire wire = wire();
        BitsWire.Reply reply = wire.packet("/x.bin", "Create-Session",
                List.of("BITS-Supported-Protocols: {00000000-1111-2222-3333-444444444444}"), null);
        BitsWire.Reply none = wire.packet("/x.bin", "Create-Session", List.of(), null);

        assertError(reply, 400, E_INVALIDARG, "0x5");
        assertNull(reply.header("BITS-Protocol"));
        assertNull(reply.header("BITS-Session-Id"));
        assertError(none, 400, E_INVALIDARG, "0x5");
    }

    @Test
    void aFragmentWithoutContentRangeIs400InvalidArg() throws Exception {
        BitsWire wire = wire();
        String id = wire.createSession("/x.bin");

        BitsWire.Reply reply = wire.packet("/x.bin", "Fragment", List.of("BITS-Session-Id: " + id), new byte[10]);

        assertError(reply, 400, E_INVALIDARG, "0x5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes 0-9", "bytes 9-0/10", "bytes 0-9/5", "items 0-9/10", "bytes 0-9/*",
            "bytes 0-4/10", "bytes -9/10", "bytes 0-9/99999999999999999999", "0-9/10", "bytes 0-9/10, bytes 0-9/10"})
    void aMalformedContentRangeIs400InvalidArg(String contentRange) throws Exception {
        BitsWire wire = wire();
        String id = wire.createSession("/x.bin");

        BitsWire.Reply reply = wire.packet("/x.bin", "Fragment", List.of("BITS-Session-Id: " + id,
                "Content-Range: " + contentRange), new byte[10]);

        assertError(reply, 400, E_INVALIDARG, "0x5");
    }

    @Test
    void aChangedTotalIs400InvalidArg() throws Exception {
        BitsWire wire = wire();
        String id = wire.createSession("/x.bin");
        wire.fragment("/x.bin", id, new byte[100], 0, 50);

        BitsWire.Reply reply = wire.fragment("/x.bin", id, new byte[200], 50, 50);

        assertError(reply, 400, E_INVALIDARG, "0x5");
    }

    @Test
    void aUrlThatMapsToADirectoryIs400InvalidArg() throws Exception {
        Files.createDirectories(uploads.resolve("folder"));
        BitsWire wire = wire();

        assertError(wire.create("/folder"), 400, E_INVALIDARG, "0x5");
        assertError(wire.create("/folder/"), 400, E_INVALIDARG, "0x5");
        assertError(wire.create("/"), 400, E_INVALIDARG, "0x5");
    }

    @Test
    void anExistingDestinationIs409AccessDeniedUnlessOverwritesAreAllowed() throws Exception {
        Files.writeString(uploads.resolve("exists.bin"), "old");
        assertError(wire().create("/exists.bin"), 409, E_ACCESSDENIED, "0x5");

        BitsWire overwriting = wire(UploadConfig.of(uploads).withAllowOverwrite(true));
        overwriting.upload("/exists.bin", "new".getBytes(), 5120);
        assertEquals("new", Files.readString(uploads.resolve("exists.bin")));
    }

    @Test
    void aDestinationCreatedDuringTheUploadIsNotReplacedAndTheLastFragmentGets403() throws Exception {
        BitsWire wire = wire();
        String id = wire.createSession("/race.bin");
        Files.writeString(uploads.resolve("race.bin"), "someone else's");

        BitsWire.Reply reply = wire.fragment("/race.bin", id, new byte[10], 0, 10);

        assertError(reply, 403, E_ACCESSDENIED, "0x5");
        assertEquals("someone else's", Files.readString(uploads.resolve("race.bin")));
    }

    @Test
    void uploadsNotEnabledAre501AccessDenied() throws Exception {
        Path served = Files.createDirectories(temp.resolve("served"));
        FileServer server = FileServer.builder(new ServeConfig(served, "127.0.0.1", 0))
                .handler(BitsUploadHandler.uploadsDisabled()).start();
        open.add(server);
        BitsWire wire = new BitsWire(server.port());
        open.add(wire);

        assertError(wire.create("/x.bin"), 501, E_ACCESSDENIED, "0x5");
        assertEquals(200, wire.ping("/x.bin").status());
    }

    @Test
    void anUnknownSessionIs500SessionNotFoundForEveryPacketThatNamesOne() throws Exception {
        BitsWire wire = wire();
        String unknown = "{A0FF5911-4144-45B3-BF27-27AFC8EC8A67}";

        assertError(wire.fragment("/x.bin", unknown, new byte[10], 0, 10), 500, "0x8020001F", "0x5");
        assertError(wire.close("/x.bin", unknown), 500, "0x8020001F", "0x5");
        assertError(wire.cancel("/x.bin", unknown), 500, "0x8020001F", "0x5");
        assertError(wire.close("/x.bin", "../../etc"), 500, "0x8020001F", "0x5");
    }

    @Test
    void aFragmentBeyondTheOffsetIs416WithoutAnErrorCode() throws Exception {
        BitsWire wire = wire();
        String id = wire.createSession("/x.bin");

        BitsWire.Reply reply = wire.fragment("/x.bin", id, new byte[100], 10, 10);

        assertEquals(416, reply.status());
        assertEquals("0", reply.header("BITS-Received-Content-Range"));
        assertNull(reply.header("BITS-Error-Code"));
    }

    @Test
    void anUploadLargerThanTheLimitIs500TooLargeAndStoresNothing() throws Exception {
        BitsWire wire = wire(UploadConfig.of(uploads).withMaxUploadBytes(1000));
        String id = wire.createSession("/big.bin");

        BitsWire.Reply reply = wire.fragment("/big.bin", id, new byte[1001], 0, 100);
        BitsWire.Reply atLimit = wire.fragment("/big.bin", wire.createSession("/ok.bin"), new byte[1000], 0, 1000);

        assertError(reply, 500, "0x80200020", "0x5");
        assertEquals(200, atLimit.status());
        assertEquals(List.of("ok.bin"), TestData.filesBelow(uploads).stream()
                .filter(f -> !f.startsWith(".jbits-sessions")).toList());
    }

    @Test
    void closeOfASessionWhoseDataWasDeletedIs404() throws Exception {
        BitsWire wire = wire();
        String id = wire.createSession("/gone.bin");
        wire.fragment("/gone.bin", id, new byte[100], 0, 50);
        Files.delete(uploads.resolve(".jbits-sessions").resolve(id.substring(1, 37)).resolve("request"));

        BitsWire.Reply reply = wire.close("/gone.bin", id);

        assertEquals(404, reply.status());
        assertEquals("Ack", reply.header("BITS-Packet-Type"));
    }

    @Test
    void aClientWithTooManyOpenSessionsIsRefusedWith503UntilItClosesOne() throws Exception {
        BitsWire wire = wire(UploadConfig.of(uploads).withMaxSessionsPerClient(3));
        String first = wire.createSession("/1.bin");
        wire.createSession("/2.bin");
        wire.createSession("/3.bin");

        BitsWire.Reply refused = wire.create("/4.bin");
        wire.close("/1.bin", first);
        BitsWire.Reply afterClose = wire.create("/4.bin");

        assertError(refused, 503, "0x801901F7", "0x5");
        assertEquals(200, afterClose.status());
    }

    @Test
    void theHostIdAndItsFallbackAreAnnouncedInTheCreateSessionAck() throws Exception {
        BitsWire wire = wire(UploadConfig.of(uploads).withHostId("node7.example", Duration.ofSeconds(110)));

        BitsWire.Reply reply = wire.create("/x.bin");

        assertEquals(200, reply.status());
        assertEquals("node7.example", reply.header("BITS-Host-Id"));
        assertEquals("110", reply.header("BITS-Host-Id-Fallback-Timeout"));
    }

    @Test
    void aFullDiskMapsToTheSpecsDiskFullCode() {
        UploadError error = UploadError.ioFailure(new IOException("No space left on device"));

        assertEquals(500, error.status());
        assertEquals("0x80070112", Hresult.hex(error.code()));
        assertEquals(Hresult.CONTEXT_REMOTE_FILE, error.context());
    }
}
