package io.jbits.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Durations as people type them: {@code 5s}, {@code 10m}, {@code 2h}, {@code 14d}, or a number of seconds. */
final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d{1,12})\\s*([smhd]?)");

    /** Reads a duration; throws with the bad text and the accepted forms. */
    static Duration parse(String text) {
        Matcher m = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid duration '" + text
                    + "' (expected seconds or a number with s, m, h or d: 90, 5s, 10m, 2h, 14d)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "", "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw new IllegalStateException("unit " + m.group(2));
        };
    }

    /** The shortest exact form: {@code 14d}, {@code 10m}, {@code 90s}, {@code 1.5s}. */
    static String format(Duration d) {
        if (d.getNano() != 0) {
            return d.toMillis() / 1000.0 + "s";
        }
        long s = d.getSeconds();
        if (s != 0 && s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s != 0 && s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    private Durations() {
    }

    /**
     * The options' converter. Nested, so that printing a duration ({@code jbits info}) loads none of picocli's classes,
     * which no AOT cache keeps.
     */
    static final class Converter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
