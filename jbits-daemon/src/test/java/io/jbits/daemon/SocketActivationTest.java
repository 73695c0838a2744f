package io.jbits.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SocketActivationTest {
    @Test
    void systemdsSocketIsTakenOnlyWhenItWasPassedToThisVeryProcess() {
        assertTrue(SocketActivation.passedByListenFds(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "1"), 42));
        assertFalse(SocketActivation.passedByListenFds(Map.of("LISTEN_PID", "41", "LISTEN_FDS", "1"), 42),
                "passed to a parent, inherited by this child: not ours");
        assertFalse(SocketActivation.passedByListenFds(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "2"), 42));
        assertFalse(SocketActivation.passedByListenFds(Map.of("LISTEN_FDS", "1"), 42));
        assertFalse(SocketActivation.passedByListenFds(Map.of(), 42));
    }

    @Test
    void withoutSystemdTheServiceBindsItsOwnSocket() throws Exception {
        // The test JVM's standard input is no listening socket, and no LISTEN_* variables name this process.
        assertEquals(Optional.empty(), SocketActivation.inheritedSocket(Map.of(), ProcessHandle.current().pid()));
    }
}
