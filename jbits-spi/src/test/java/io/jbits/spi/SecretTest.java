package io.jbits.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.AuthScheme;
import io.jbits.api.AuthTarget;
import org.junit.jupiter.api.Test;

/** A secret prints as stars, hashes as every other and gives its characters only to {@link Secret#reveal}. */
class SecretTest {

    @Test
    void neverPrintsItselfNorWhatHoldsIt() {
        Secret s = Secret.of("hunter2");
        assertEquals("****", s.toString());
        CredentialSettings.Login login = new CredentialSettings.Login(AuthTarget.SERVER, AuthScheme.BASIC, "ann", s);
        assertFalse(login.toString().contains("hunter2"), login.toString());
        assertFalse(new CredentialSettings(java.util.List.of(login)).toString().contains("hunter2"));
    }

    @Test
    void comparesByContentWithAHashThatSaysNothing() {
        assertEquals(Secret.of("a"), Secret.of("a".toCharArray()));
        assertNotEquals(Secret.of("a"), Secret.of("b"));
        assertNotEquals(Secret.of("a"), Secret.of("ab"));
        assertEquals(Secret.of("a").hashCode(), Secret.of("something else").hashCode());
        assertTrue(Secret.of((String) null).isEmpty());
    }

    @Test
    void revealsACopyThatTheCallerMayWipe() {
        char[] given = "pw".toCharArray();
        Secret s = Secret.of(given);
        Secret.wipe(given);
        char[] out = s.reveal();
        assertArrayEquals("pw".toCharArray(), out);
        Secret.wipe(out);
        assertArrayEquals("pw".toCharArray(), s.reveal());
    }
}
