package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** SIZE on the command line: the core's grammar, the command line's messages. */
class SizesTest {

    @Test
    void readsSizesAsPeopleTypeThem() {
        assertEquals(1_048_576L, Sizes.parse("1048576"));
        assertEquals(1_610_612_736L, Sizes.parse("1.5G"));
        assertEquals(4L << 20, Sizes.parse("4 MiB"));
        assertEquals(2L << 40, new Sizes().convert("2T"));
    }

    @Test
    void namesTheBadTextAndTheFormsItTakes() {
        assertEquals("invalid size 'huge' (expected bytes or a number with k, M, G or T: 1048576, 512k, 4M, 1.5G)",
                assertThrows(IllegalArgumentException.class, () -> Sizes.parse("huge")).getMessage());
        assertEquals("size '9000000T' is too large",
                assertThrows(CommandLine.TypeConversionException.class, () -> new Sizes().convert("9000000T"))
                        .getMessage());
    }
}
