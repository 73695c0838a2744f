package io.jbits.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one grammar of sizes and rates: what the command line's SIZE and RATE each took, now both. */
class ByteSizesTest {

    @ParameterizedTest
    @CsvSource({"1048576,1048576", "512k,524288", "512K,524288", "4M,4194304", "1.5G,1610612736", "2T,2199023255552",
            "512KiB,524288", "512kb,524288", "4MB,4194304", "'4 M',4194304", "' 512 kib ',524288", "100b,100",
            "512ib,512", "0,0", "0.5k,512", "1e3k,1024000"})
    void readsWhatEitherGrammarRead(String text, long bytes) {
        assertEquals(bytes, ByteSizes.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "fast", "12x", "-4M", "4 M M", "b", "k", "1,5M"})
    void refusesWhatIsNoSize(String text) {
        ByteSizes.BadSizeException e = assertThrows(ByteSizes.BadSizeException.class, () -> ByteSizes.parse(text));
        assertFalse(e.tooLarge(), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"8388608T", "9223372036854775808", "1e999G"})
    void saysWhenASizeIsOnlyTooLarge(String text) {
        assertTrue(assertThrows(ByteSizes.BadSizeException.class, () -> ByteSizes.parse(text)).tooLarge());
    }

    @ParameterizedTest
    @ValueSource(strings = {"4 M", "2048ib", "10 k/s"})
    void ratesTakeTheSameForms(String text) {
        assertTrue(Bandwidth.parse(text).isLimited());
    }
}
