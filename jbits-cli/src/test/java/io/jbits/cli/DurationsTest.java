package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({"5s, 5", "10m, 600", "2h, 7200", "14d, 1209600", "90, 90", "1, 1", "0, 0", "3H, 10800"})
    void readsEachUnitAndBareSeconds(String text, long seconds) {
        assertEquals(Duration.ofSeconds(seconds), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5x", "-1", "", "1.5h", "m", "10 minutes", "1h30m"})
    void refusesOtherFormsWithTheBadText(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"1209600, 14d", "7200, 2h", "600, 10m", "90, 90s", "0, 0s"})
    void formatsTheShortestExactForm(long seconds, String text) {
        assertEquals(text, Durations.format(Duration.ofSeconds(seconds)));
    }
}
