package io.jbits.cli;

import io.jbits.spi.Bandwidth;
import picocli.CommandLine.Model.CommandSpec;

/** Reads {@code --max-rate RATE}; a bad RATE is a usage error that names it. */
final class MaxRates {
    private MaxRates() {
    }

    static Bandwidth parse(String text, CommandSpec spec) {
        try {
            return Bandwidth.parse(text);
        } catch (IllegalArgumentException e) {
            throw PicocliLine.usage(spec, "--max-rate: " + e.getMessage());
        }
    }
}
