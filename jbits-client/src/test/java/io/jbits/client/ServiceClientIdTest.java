package io.jbits.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which job ids a listener takes as they are, and which it first resolves with the service. */
class ServiceClientIdTest {
    @Test
    void onlyTheServicesOwnFormIsTakenAsItIs() {
        for (int i = 0; i < 100; i++) {
            assertTrue(ServiceClient.isFullId(UUID.randomUUID().toString()));
        }
        String id = "6f1c2f0e-9d7a-4a57-9a0e-0c1d2e3f4a5b";
        assertFalse(ServiceClient.isFullId(id.toUpperCase(java.util.Locale.ROOT)), "upper case is resolved");
        assertFalse(ServiceClient.isFullId(id.substring(0, 8)), "a prefix is resolved");
        assertFalse(ServiceClient.isFullId(id.replace('-', 'x')));
        assertFalse(ServiceClient.isFullId(id.substring(1) + "g"));
        assertFalse(ServiceClient.isFullId(id + "0"));
    }
}
