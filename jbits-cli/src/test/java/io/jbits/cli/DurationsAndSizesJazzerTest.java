package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Coverage-guided fuzzing (Jazzer) of the command line's DURATION and SIZE options: every text is a non-negative
 * value whose shortest form reads back the same, or a one-line refusal that quotes the text; never another
 * exception. A plain test run replays {@code src/test/resources/io/jbits/cli/DurationsAndSizesJazzerTestInputs}.
 */
class DurationsAndSizesJazzerTest {

    @FuzzTest(maxDuration = "5m")
    void aDurationOrSizeReadsBackFromItsShortestFormOrIsRefused(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            Duration d = Durations.parse(text);
            assertTrue(!d.isNegative(), d + " from '" + text + "'");
            assertEquals(d, Durations.parse(Durations.format(d)), "'" + text + "' as " + Durations.format(d));
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("'" + text + "'") && !e.getMessage().contains("\n")
                    || text.contains("\n"), e.getMessage());
        }
        try {
            long bytes = Sizes.parse(text);
            assertTrue(bytes >= 0, bytes + " from '" + text + "'");
            assertEquals(bytes, Sizes.parse(Long.toString(bytes)));
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
        }
    }
}
