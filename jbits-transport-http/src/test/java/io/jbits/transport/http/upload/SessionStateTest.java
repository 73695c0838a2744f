package io.jbits.transport.http.upload;

import io.jbits.bup.Protocol;
import io.jbits.spi.FlatJson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionStateTest {

    @Test
    void aStateSurvivesItsJsonWithEveryKindOfCharacter() {
        SessionState state = new SessionState("http://h/a \"b\"\\c\u0001\u00e9?q=1", "{A0FF5911-4144}",
                Protocol.GUID, "node\t7", 86_400, 1_700_000_000_000L, true, "http://h/r?x=\n");

        assertEquals(state, SessionState.parse(state.toJson()));
    }

    @Test
    void absentFieldsTakeTheirDefaults() {
        SessionState state = SessionState.parse("{\"url\":\"http://h/a\",\"sessionId\":\"{1}\"}");

        assertEquals(SessionState.created("http://h/a", "{1}", null), state);
        assertEquals(SessionState.NEVER, state.hostIdFallbackSeconds());
    }

    @Test
    void anEmptyOrDamagedStateMeansNoSession() {
        assertNull(SessionState.parse("{}"));
        assertNull(SessionState.parse(""));
        assertNull(SessionState.parse("{\"url\":\"http://h/a\""));
        assertNull(SessionState.parse("{\"url\":\"http://h/a\",\"sessionId\":7}"));
        assertNull(SessionState.parse("[1]"));
    }

    @Test
    void theParserRefusesWhatIsNotAFlatObject() {
        assertEquals(Map.of("a", -12L, "b", true), FlatJson.parse(" { \"a\" : -12 , \"b\":true } "));
        assertThrows(IllegalArgumentException.class, () -> FlatJson.parse("{\"a\":{\"b\":1}}"));
        assertThrows(IllegalArgumentException.class, () -> FlatJson.parse("{\"a\":1.5}"));
        assertThrows(IllegalArgumentException.class, () -> FlatJson.parse("{\"a\":1} x"));
        assertThrows(IllegalArgumentException.class, () -> FlatJson.parse("{\"a\":\"\\x\"}"));
    }
}
