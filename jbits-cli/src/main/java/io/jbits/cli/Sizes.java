package io.jbits.cli;

import io.jbits.spi.ByteSizes;
import picocli.CommandLine;

/**
 * Reads a SIZE option ({@code 1048576}, {@code 512k}, {@code 4M}, {@code 1.5G}, {@code 2T}: powers of 1024) in the
 * grammar of {@link ByteSizes}, with the command line's own messages.
 */
final class Sizes implements CommandLine.ITypeConverter<Long> {

    /** Reads a size in bytes; throws with the bad text and the accepted forms. */
    static long parse(String text) {
        try {
            return ByteSizes.parse(text);
        } catch (ByteSizes.BadSizeException e) {
            if (e.tooLarge()) {
                throw new IllegalArgumentException("size '" + text + "' is too large");
            }
            throw new IllegalArgumentException("invalid size '" + text
                    + "' (expected bytes or a number with k, M, G or T: 1048576, 512k, 4M, 1.5G)");
        }
    }

    @Override
    public Long convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
