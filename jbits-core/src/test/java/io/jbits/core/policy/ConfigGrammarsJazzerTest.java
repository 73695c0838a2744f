package io.jbits.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jbits.spi.Bandwidth;
import io.jbits.spi.ByteSizes;
import java.time.LocalDateTime;

/**
 * Coverage-guided fuzzing (Jazzer) of the configuration grammars people type: the bandwidth policy file, the
 * timetable and window grammar, and byte sizes and rates. Every text is read into a value that reads back the same
 * from its own text, or refused with an {@link IllegalArgumentException} that says why; never another exception.
 * In a plain test run only the inputs under {@code src/test/resources/io/jbits/core/policy/ConfigGrammarsJazzerTestInputs}
 * run, as regression cases; {@code JAZZER_FUZZ=1} fuzzes one target (README, "Coverage-guided fuzzing").
 */
class ConfigGrammarsJazzerTest {
    /** Moments spread over the week, to ask a timetable which limit is in force. */
    private static final LocalDateTime MONDAY = LocalDateTime.of(2026, 11, 30, 0, 0);

    /** A policy file is a policy whose own file text reads back as the same policy, or "line N: why". */
    @FuzzTest(maxDuration = "5m")
    void aPolicyFileReadsBackTheSameOrNamesItsBadLine(byte[] input) {
        String text = new String(input, java.nio.charset.StandardCharsets.UTF_8);
        BandwidthPolicy policy;
        try {
            policy = BandwidthPolicy.parse(text);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && e.getMessage().startsWith("line "), e.getMessage());
            return;
        }
        BandwidthPolicy again = BandwidthPolicy.parse(policy.toFileText());
        assertEquals(policy.limit().entries(), again.limit().entries(), "limit of " + text);
        assertEquals(policy.backgroundLimit().entries(), again.backgroundLimit().entries(), "background of " + text);
        for (int hour = 0; hour < 7 * 24; hour += 5) {
            assertNotNull(policy.at(MONDAY.plusHours(hour).plusMinutes(hour % 60)).limit().rate());
        }
    }

    /**
     * A timetable or a window is entries that read back the same from the timetable's text, with one limit at
     * every moment of the week, or a refusal that says why.
     */
    @FuzzTest(maxDuration = "5m")
    void aTimetableOrWindowHasOneLimitAtEveryMomentOrIsRefused(FuzzedDataProvider data) {
        boolean window = data.consumeBoolean();
        String inside = data.consumeString(12);
        String text = data.consumeRemainingAsString();
        Timetable t;
        try {
            t = window ? Timetable.window(text, Bandwidth.parse(inside), Bandwidth.UNLIMITED) : Timetable.parse(text);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a refusal without a reason");
            return;
        }
        assertEquals(t.entries(), Timetable.parse(t.text()).entries(), "'" + t.text() + "' read back");
        int last = -1;
        for (Timetable.Entry e : t.entries()) {
            assertTrue(e.minuteOfWeek() > last && e.minuteOfWeek() < 7 * 24 * 60, "entry " + e + " of " + t);
            last = e.minuteOfWeek();
        }
        for (int minute = 0; minute < 7 * 24 * 60; minute += 97) {
            Timetable.Slot slot = t.at(MONDAY.plusMinutes(minute));
            assertNotNull(slot.rate(), "a limit at minute " + minute + " of " + t);
            assertTrue(t.isConstant() == slot.window().isEmpty(), "the window of " + t + ": " + slot);
        }
        if (window) {
            assertTrue(!t.isConstant() || t.entries().stream().allMatch(e -> e.rate().equals(Bandwidth.UNLIMITED)),
                    "a window of " + inside + " in '" + text + "' is " + t);
        }
    }

    /** A size is a non-negative count, a rate one of at least 1 KiB/s, each reading back from its own text. */
    @FuzzTest(maxDuration = "5m")
    void aSizeOrRateIsACountThatReadsBackOrIsRefused(byte[] input) {
        String text = new String(input, java.nio.charset.StandardCharsets.UTF_8);
        try {
            long bytes = ByteSizes.parse(text);
            assertTrue(bytes >= 0, bytes + " from '" + text + "'");
            assertEquals(bytes, ByteSizes.parse(Long.toString(bytes)), "'" + text + "' read back");
        } catch (ByteSizes.BadSizeException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a refusal without a reason");
        }
        try {
            Bandwidth rate = Bandwidth.parse(text);
            assertTrue(!rate.isLimited() || rate.bytesPerSecond() >= Bandwidth.MIN_BYTES_PER_SECOND, rate.describe());
            assertEquals(rate, Bandwidth.parse(rate.toString()), "'" + text + "' as " + rate);
            assertTrue(!rate.describe().isBlank());
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && e.getMessage().startsWith("bad RATE"), e.getMessage());
        }
    }
}
