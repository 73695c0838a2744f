package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each packet of [MC-BUP] and the fragment rules, driven with raw requests written from the spec (docs/bits.md §8).
 */
class UploadProtocolConformanceTest {

    private static final String GUID_ID = "\\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\\}";

    @TempDir
    Path temp;

    private Path uploads;
    private UploadServer server;
    private BitsWire wire;

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

    @Test
    void pingIsAnsweredWithAnEmptyAckAndNoSession() throws Exception {
        BitsWire.Reply reply = wire.ping("/anything.bin");

        assertEquals(200, reply.status());
        assertEquals("Ack", reply.header("BITS-Packet-Type"));
        assertEquals("0", reply.header("Content-Length"));
        assertNull(reply.header("BITS-Session-Id"));
    }

    @Test
    void createSessionChoosesTheProtocolAndGivesABracedGuid() throws Exception {
        BitsWire.Reply reply = wire.create("/report.bin");

        assertEquals(200, reply.status());
        assertEquals("Ack", reply.header("BITS-Packet-Type"));
        assertEquals(BitsWire.PROTOCOL, reply.header("BITS-Protocol"));
        assertTrue(reply.header("BITS-Session-Id").matches(GUID_ID), reply.header("BITS-Session-Id"));
        assertEquals("identity", reply.header("Accept-Encoding"));
        assertEquals("0", reply.header("Content-Length"));
        assertNull(reply.header("BITS-Host-Id"));
        assertFalse(Files.exists(uploads.resolve("report.bin")));
    }

    @Test
    void theServerAnnouncesAndTakesFragmentsOf64MiB() throws Exception {
        assertEquals(Long.toString(64L << 20), wire.ping("/big.bin").header("X-Jbits-Max-Fragment"));
        BitsWire.Reply created = wire.create("/big.bin");
        assertEquals(Long.toString(64L << 20), created.header("X-Jbits-Max-Fragment"));
        byte[] data = TestData.randomBytes(40 << 20, 40);
        String id = created.header("BITS-Session-Id");

        BitsWire.Reply ack = wire.fragment("/big.bin", id, data, 0, data.length);

        assertEquals(200, ack.status(), ack::toString);
        assertEquals(Long.toString(data.length), ack.header("BITS-Received-Content-Range"));
        assertEquals(TestData.sha256(data), TestData.sha256(uploads.resolve("big.bin")));
    }

    @Test
    void theProtocolIsFoundInAnyCaseAmongOthersSeparatedBySpacesOrCommas() throws Exception {
        BitsWire.Reply reply = wire.packet("/a.bin", "Create-Session", List.of("BITS-Supported-Protocols: "
                + "{00000000-0000-0000-0000-000000000001}, {7DF0354D-249B-430F-820D-3D2A9BEF4931}"), null);

        assertEquals(200, reply.status());
        assertEquals(BitsWire.PROTOCOL, reply.header("BITS-Protocol"));
    }

    @Test
    void packetTypesAndSessionIdsAreComparedWithoutRegardToCase() throws Exception {
        byte[] data = TestData.randomBytes(10_000, 3);
        BitsWire.Reply created = wire.packet("/case.bin", "CREATE-SESSION",
                List.of("BITS-Supported-Protocols: " + BitsWire.PROTOCOL.toUpperCase()), null);
        String id = created.header("BITS-Session-Id").toLowerCase();
        BitsWire.Reply fragment = wire.packet("/case.bin", "fragment", List.of("BITS-Session-Id: " + id,
                "Content-Range: bytes 0-9999/10000"), data);
        BitsWire.Reply closed = wire.packet("/case.bin", "CLOSE-SESSION", List.of("BITS-Session-Id: " + id), null);

        assertEquals(200, created.status());
        assertEquals(200, fragment.status());
        assertEquals(200, closed.status());
        assertEquals(TestData.sha256(data), TestData.sha256(uploads.resolve("case.bin")));
    }

    @Test
    void postWithTheMethodOverrideHeaderIsABitsPost() throws Exception {
        byte[] data = TestData.randomBytes(6_000, 4);
        BitsWire.Reply created = wire.exchange("POST", "/override.bin", List.of("X-Http-Method-Override: BITS_POST",
                "BITS-Packet-Type: Create-Session", "BITS-Supported-Protocols: " + BitsWire.PROTOCOL,
                "Content-Length: 0"), null);
        String id = created.header("BITS-Session-Id");
        BitsWire.Reply fragment = wire.exchange("POST", "/override.bin", List.of("X-Http-Method-Override: bits_post",
                "BITS-Packet-Type: Fragment", "BITS-Session-Id: " + id, "Content-Range: bytes 0-5999/6000",
                "Content-Length: 6000"), data);

        assertEquals(200, created.status());
        assertEquals(200, fragment.status());
        assertEquals("6000", fragment.header("BITS-Received-Content-Range"));
        assertEquals(TestData.sha256(data), TestData.sha256(uploads.resolve("override.bin")));
    }

    @ParameterizedTest(name = "{0} bytes in fragments of {1}")
    @CsvSource({"5120, 5120", "12582915, 4194304", "100003, 7919", "1, 1", "65537, 65536", "20481, 5120"})
    void fragmentsOfEverySizeGiveTheIdenticalFileOnlyAfterTheLastOne(int sizeBytes, int fragmentBytes)
            throws Exception {
        byte[] data = TestData.randomBytes(sizeBytes, sizeBytes);
        Path destination = uploads.resolve("sized.bin");
        String id = wire.createSession("/sized.bin");

        for (int first = 0; first < sizeBytes; first += fragmentBytes) {
            int length = Math.min(fragmentBytes, sizeBytes - first);
            BitsWire.Reply ack = wire.fragment("/sized.bin", id, data, first, length);
            assertEquals(200, ack.status(), ack::toString);
            assertEquals(id, ack.header("BITS-Session-Id"));
            assertEquals(Long.toString(first + length), ack.header("BITS-Received-Content-Range"));
            assertEquals("0", ack.header("Content-Length"));
            assertNull(ack.header("BITS-Reply-URL"));
            if (first + length < sizeBytes) {
                assertFalse(Files.exists(destination), "the file appeared before its last fragment");
            }
        }
        assertEquals(TestData.sha256(data), TestData.sha256(destination));
        assertEquals(200, wire.close("/sized.bin", id).status());
        assertEquals(List.of("sized.bin"), TestData.filesBelow(uploads));
    }

    @Test
    void fiftyFragmentsTravelOnOneConnection() throws Exception {
        byte[] data = TestData.randomBytes(50 * 5120, 50);
        String id = wire.createSession("/many.bin");

        wire.uploadFragments("/many.bin", id, data, 5120);

        assertEquals(TestData.sha256(data), TestData.sha256(uploads.resolve("many.bin")));
    }

    @Test
    void anOverlappingFragmentIsTrimmedAndNeverOverwritesReceivedBytes() throws Exception {
        byte[] data = TestData.randomBytes(300, 5);
        String id = wire.createSession("/overlap.bin");
        wire.fragment("/overlap.bin", id, data, 0, 101);
        byte[] altered = data.clone();
        Arrays.fill(altered, 50, 101, (byte) 0x55);

        BitsWire.Reply overlap = wire.fragment("/overlap.bin", id, altered, 50, 101);
        BitsWire.Reply rest = wire.fragment("/overlap.bin", id, data, 151, 149);

        assertEquals(200, overlap.status());
        assertEquals("151", overlap.header("BITS-Received-Content-Range"));
        assertEquals("300", rest.header("BITS-Received-Content-Range"));
        assertArrayEquals(data, Files.readAllBytes(uploads.resolve("overlap.bin")));
    }

    @Test
    void aResentFragmentIsAckedWithTheCurrentOffset() throws Exception {
        byte[] data = TestData.randomBytes(30_000, 6);
        String id = wire.createSession("/again.bin");
        wire.fragment("/again.bin", id, data, 0, 10_000);
        wire.fragment("/again.bin", id, data, 10_000, 10_000);

        BitsWire.Reply resent = wire.fragment("/again.bin", id, data, 0, 10_000);

        assertEquals(200, resent.status());
        assertEquals("20000", resent.header("BITS-Received-Content-Range"));
    }

    @Test
    void aFragmentBeyondTheOffsetGets416WithTheOffsetAndTheUploadGoesOnFromThere() throws Exception {
        byte[] data = TestData.randomBytes(30_000, 7);
        String id = wire.createSession("/gap.bin");
        wire.fragment("/gap.bin", id, data, 0, 10_000);

        BitsWire.Reply gap = wire.fragment("/gap.bin", id, data, 20_000, 10_000);
        BitsWire.Reply afterGap = wire.fragment("/gap.bin", id, data, 10_000, 10_000);
        BitsWire.Reply last = wire.fragment("/gap.bin", id, data, 20_000, 10_000);

        assertEquals(416, gap.status());
        assertEquals("Ack", gap.header("BITS-Packet-Type"));
        assertEquals("10000", gap.header("BITS-Received-Content-Range"));
        assertEquals(id, gap.header("BITS-Session-Id"));
        assertNull(gap.header("BITS-Error-Code"));
        assertEquals("20000", afterGap.header("BITS-Received-Content-Range"));
        assertEquals("30000", last.header("BITS-Received-Content-Range"));
        assertEquals(TestData.sha256(data), TestData.sha256(uploads.resolve("gap.bin")));
    }

    @Test
    void outOfOrderFragmentsAreRefusedUntilTheMissingOneArrives() throws Exception {
        byte[] data = TestData.randomBytes(40_000, 8);
        String id = wire.createSession("/order.bin");

        BitsWire.Reply third = wire.fragment("/order.bin", id, data, 20_000, 10_000);
        BitsWire.Reply second = wire.fragment("/order.bin", id, data, 10_000, 10_000);
        BitsWire.Reply first = wire.fragment("/order.bin", id, data, 0, 10_000);
        wire.uploadFragments("/order.bin", id, data, 10_000);

        assertEquals(416, third.status());
        assertEquals("0", third.header("BITS-Received-Content-Range"));
        assertEquals(416, second.status());
        assertEquals(200, first.status());
        assertEquals(TestData.sha256(data), TestData.sha256(uploads.resolve("order.bin")));
    }

    @Test
    void theLastFragmentSentAgainAfterTheFileIsStoredIsAckedAndChangesNothing() throws Exception {
        byte[] data = TestData.randomBytes(8_000, 9);
        String id = wire.createSession("/twice.bin");
        wire.fragment("/twice.bin", id, data, 0, 8_000);

        BitsWire.Reply again = wire.fragment("/twice.bin", id, data, 0, 8_000);

        assertEquals(200, again.status());
        assertEquals("8000", again.header("BITS-Received-Content-Range"));
        assertEquals(TestData.sha256(data), TestData.sha256(uploads.resolve("twice.bin")));
    }

    @Test
    void anEmptyFileIsUploadedWithAStarRange() throws Exception {
        String id = wire.createSession("/empty.bin");

        BitsWire.Reply ack = wire.packet("/empty.bin", "Fragment", List.of("BITS-Session-Id: " + id,
                "Content-Range: bytes */0"), null);

        assertEquals(200, ack.status());
        assertEquals("0", ack.header("BITS-Received-Content-Range"));
        assertEquals(0, Files.size(uploads.resolve("empty.bin")));
    }

    @Test
    void closeBeforeTheLastFragmentDeletesTheData() throws Exception {
        byte[] data = TestData.randomBytes(20_000, 10);
        String id = wire.createSession("/partial.bin");
        wire.fragment("/partial.bin", id, data, 0, 10_000);

        BitsWire.Reply closed = wire.close("/partial.bin", id);
        BitsWire.Reply afterClose = wire.fragment("/partial.bin", id, data, 10_000, 10_000);

        assertEquals(200, closed.status());
        assertEquals(id, closed.header("BITS-Session-Id"));
        assertEquals(500, afterClose.status());
        assertEquals("0x8020001F", afterClose.header("BITS-Error-Code"));
        assertEquals(List.of(), TestData.filesBelow(uploads));
    }

    @Test
    void cancelDeletesEverythingOfTheSession() throws Exception {
        byte[] data = TestData.randomBytes(20_000, 11);
        String id = wire.createSession("/cancelled.bin");
        wire.fragment("/cancelled.bin", id, data, 0, 10_000);

        BitsWire.Reply cancelled = wire.cancel("/cancelled.bin", id);

        assertEquals(200, cancelled.status());
        assertEquals(id, cancelled.header("BITS-Session-Id"));
        assertEquals(List.of(), TestData.filesBelow(uploads));
        assertEquals(0, server.handler.openSessions());
    }

    @Test
    void cancelAfterTheLastFragmentLeavesTheStoredFile() throws Exception {
        byte[] data = TestData.randomBytes(10_000, 12);
        String id = wire.createSession("/kept.bin");
        wire.fragment("/kept.bin", id, data, 0, 10_000);

        assertEquals(200, wire.cancel("/kept.bin", id).status());

        assertEquals(List.of("kept.bin"), TestData.filesBelow(uploads));
    }

    @Test
    void missingDirectoriesInsideTheUploadDirectoryAreCreatedOnlyWithTheFile() throws Exception {
        byte[] data = TestData.randomBytes(10_000, 13);
        String id = wire.createSession("/deep/er/file%20name.bin");
        wire.fragment("/deep/er/file%20name.bin", id, data, 0, 5_000);
        assertFalse(Files.exists(uploads.resolve("deep")));

        wire.fragment("/deep/er/file%20name.bin", id, data, 5_000, 5_000);

        assertEquals(TestData.sha256(data), TestData.sha256(uploads.resolve("deep/er/file name.bin")));
    }

    @Test
    void theSessionDirectoryIsNeverServedEvenWhenTheUploadDirectoryIs() throws Exception {
        try (UploadServer same = UploadServer.start(uploads, UploadConfig.of(uploads));
                BitsWire client = same.wire()) {
            String id = client.createSession("/secret.bin");
            String key = id.substring(1, id.length() - 1);

            BitsWire.Reply listing = client.exchange("GET", "/.jbits-sessions/" + key + "/state.properties",
                    List.of(), null);

            assertEquals(404, listing.status());
        }
    }
}
