package io.jbits.bup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PacketTypeTest {

    @Test
    void theWireNamesAreTheSpecs() {
        assertEquals("Ping", PacketType.PING.wireName());
        assertEquals("Create-Session", PacketType.CREATE_SESSION.wireName());
        assertEquals("Fragment", PacketType.FRAGMENT.wireName());
        assertEquals("Close-Session", PacketType.CLOSE_SESSION.wireName());
        assertEquals("Cancel-Session", PacketType.CANCEL_SESSION.wireName());
    }

    @Test
    void namesAreReadInAnyCase() {
        for (PacketType type : PacketType.values()) {
            assertEquals(type, PacketType.parse(type.wireName()));
            assertEquals(type, PacketType.parse(" " + type.wireName().toUpperCase(java.util.Locale.ROOT) + "\t"));
        }
    }

    @Test
    void unknownNamesAndAcksAreNoRequest() {
        assertNull(PacketType.parse(null));
        assertNull(PacketType.parse(""));
        assertNull(PacketType.parse("Ack"));
        assertNull(PacketType.parse("CreateSession"));
    }
}
