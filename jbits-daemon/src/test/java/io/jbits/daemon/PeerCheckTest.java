package io.jbits.daemon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PeerCheckTest {
    @Test
    void theDaemonsOwnUserIsAllowed() {
        assertTrue(PeerCheck.allows("alice", "alice"));
    }

    @Test
    void anotherUserOrAnUnknownPeerIsRefused() {
        assertFalse(PeerCheck.allows("bob", "alice"));
        assertFalse(PeerCheck.allows("Alice", "alice"));
        assertFalse(PeerCheck.allows(null, "alice"));
        assertFalse(PeerCheck.allows("", "alice"));
    }
}
