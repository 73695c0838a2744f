package io.jbits.bup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AckTest {

    /** Reads an Ack from header pairs, looking names up without regard to case as HTTP does. */
    private static Ack read(int status, String... pairs) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            headers.put(pairs[i].toLowerCase(Locale.ROOT), pairs[i + 1]);
        }
        return Ack.read(status, null, name -> headers.get(name.toLowerCase(Locale.ROOT)));
    }

    private static Ack roundTrip(Ack ack) {
        Map<String, String> written = ack.headers();
        return Ack.read(ack.status(), ack.reason(), written::get);
    }

    @Test
    void everyAckSaysItIsAnAckFirst() {
        Map<String, String> headers = Ack.ok().headers();

        assertEquals(Map.of("BITS-Packet-Type", "Ack"), headers);
        assertEquals("BITS-Packet-Type", headers.keySet().iterator().next());
    }

    @Test
    void theCreateSessionAckReadsBackAsWritten() {
        Ack ack = Ack.ok().withProtocol(Protocol.GUID).withSessionId("{s1}").withHostId("node7", 110);

        assertEquals(Map.of("BITS-Packet-Type", "Ack", "BITS-Protocol", Protocol.GUID, "BITS-Session-Id", "{s1}",
                "BITS-Host-Id", "node7", "BITS-Host-Id-Fallback-Timeout", "110"), ack.headers());
        assertEquals(ack, roundTrip(ack));
    }

    @Test
    void fragmentAcksReadBackAsWritten() {
        for (Ack ack : List.of(Ack.ok().withSessionId("s").withReceivedBytes(0),
                Ack.ok().withSessionId("s").withReceivedBytes(Long.MAX_VALUE).withReplyUrl("/.jbits-reply/k"),
                Ack.of(416).withSessionId("s").withReceivedBytes(42))) {
            assertEquals(ack, roundTrip(ack));
        }
        assertEquals("42", Ack.of(416).withReceivedBytes(42).headers().get("BITS-Received-Content-Range"));
    }

    @Test
    void errorsAreWrittenInHexAndReadBack() {
        Ack ack = Ack.of(500).withSessionId("s").withError(Hresult.DISK_FULL, Hresult.CONTEXT_REMOTE_FILE);

        assertEquals("0x80070112", ack.headers().get("BITS-Error-Code"));
        assertEquals("0x5", ack.headers().get("BITS-Error-Context"));
        assertEquals(ack, roundTrip(ack));
        assertEquals(Ack.of(416), Ack.of(416).withError(Ack.NO_ERROR_CODE, Hresult.CONTEXT_REMOTE_FILE));
        assertFalse(Ack.of(416).headers().containsKey("BITS-Error-Context"));
    }

    @Test
    void aFallbackWithoutAHostIdIsNeitherWrittenNorRead() {
        assertFalse(Ack.ok().withHostId(null, 5).headers().containsKey("BITS-Host-Id-Fallback-Timeout"));
        assertEquals(Ack.NEVER, read(200, "BITS-Host-Id-Fallback-Timeout", "5").hostIdFallbackSeconds());
        assertEquals(5, read(200, "BITS-Host-Id", "n", "BITS-Host-Id-Fallback-Timeout", "5").hostIdFallbackSeconds());
    }

    @Test
    void malformedNumbersCountAsAbsent() {
        Ack a = read(200, "BITS-Received-Content-Range", "12-34", "BITS-Host-Id", "n1",
                "BITS-Host-Id-Fallback-Timeout", "4294967295", "BITS-Error-Code", "nonsense",
                "BITS-Error-Context", "0xZZ");

        assertEquals(Ack.ABSENT, a.receivedBytes());
        assertEquals(Ack.NEVER, a.hostIdFallbackSeconds());
        assertEquals(Ack.NO_ERROR_CODE, a.errorCode());
        assertEquals(Ack.NO_ERROR_CONTEXT, a.errorContext());
        assertEquals(Ack.ABSENT, read(200, "BITS-Received-Content-Range", "-3").receivedBytes());
    }

    @Test
    void theClientReadsLeniently() {
        Ack a = read(201, "bits-session-id", "  {s}  ", "BITS-Error", "8020001f", "BITS-Host-Id", "");

        assertEquals("{s}", a.sessionId());
        assertTrue(a.isSuccess());
        assertTrue(a.isSessionNotFound());
        assertNull(a.hostId());
        assertEquals("", a.reason());
        assertEquals("Created", Ack.read(201, " Created ", name -> null).reason());
        assertTrue(read(500, "BITS-Error-Code", "0x8020001F", "BITS-Error", "0x80070057").isSessionNotFound());
        assertFalse(read(404).isSuccess());
    }

    @Test
    void theAnnouncedLargestFragmentReadsBackAndIsAbsentUnlessSet() {
        Ack ack = Ack.ok().withSessionId("{s1}").withMaxFragmentBytes(64L << 20);
        assertEquals("67108864", ack.headers().get("X-Jbits-Max-Fragment"));
        assertEquals(64L << 20, roundTrip(ack).maxFragmentBytes());
        assertEquals(64L << 20, roundTrip(ack.withError(Hresult.E_INVALIDARG, 5)).maxFragmentBytes(),
                "kept by the other with methods");
        assertEquals(Ack.ABSENT, roundTrip(Ack.ok()).maxFragmentBytes());
        assertEquals(Ack.ABSENT, read(200, "X-Jbits-Max-Fragment", "lots").maxFragmentBytes());
        assertFalse(Ack.ok().headers().containsKey("X-Jbits-Max-Fragment"));
    }
}
