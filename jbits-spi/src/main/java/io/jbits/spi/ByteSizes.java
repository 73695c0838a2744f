package io.jbits.spi;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The one grammar of byte counts as people type them, for sizes ({@code --max-upload-size 4G}) and, through
 * {@link Bandwidth#parse}, for rates: a number, optionally with a fraction, optionally followed by a binary unit
 * {@code k} (KiB), {@code M} (MiB), {@code G} (GiB) or {@code T} (TiB), case-insensitive, with an optional trailing
 * {@code B} or {@code iB} ({@code 512k}, {@code 512KiB}, {@code 4MB}, {@code 1.5G}, {@code 100b}, {@code 1048576});
 * spaces may stand between the number and its unit. Fractions of a byte are dropped.
 */
public final class ByteSizes {
    private ByteSizes() {
    }

    /**
     * Reads a byte count.
     *
     * @throws BadSizeException saying why the text is not one
     */
    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw new BadSizeException("it is empty", false);
        }
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.endsWith("ib")) {
            s = s.substring(0, s.length() - 2); // "512KiB" → "512k"
        } else if (s.endsWith("b") && s.length() > 1) {
            s = s.substring(0, s.length() - 1); // "512kB" → "512k", "100b" → "100"; a bare "b" is no number below
        }
        s = s.stripTrailing();
        long unit = 1;
        char last = s.isEmpty() ? '0' : s.charAt(s.length() - 1);
        if (!Character.isDigit(last) && last != '.') {
            unit = switch (last) {
                case 'b' -> 1;
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                case 't' -> 1L << 40;
                default -> throw new BadSizeException("'" + last + "' is not a unit (k, M, G)", false);
            };
            s = s.substring(0, s.length() - 1).stripTrailing();
        }
        BigDecimal number;
        try {
            number = new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw new BadSizeException("'" + s + "' is not a number", false);
        }
        if (number.signum() < 0) {
            throw new BadSizeException("it is negative", false);
        }
        BigDecimal bytes;
        try {
            bytes = number.multiply(BigDecimal.valueOf(unit));
        } catch (ArithmeticException e) {
            throw new BadSizeException("it is too large", true);
        }
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new BadSizeException("it is too large", true);
        }
        return bytes.longValue();
    }

    /** Text that is no byte count; the message says why, for the caller to put after the text it names. */
    public static final class BadSizeException extends IllegalArgumentException {
        private final boolean tooLarge;

        BadSizeException(String why, boolean tooLarge) {
            super(why);
            this.tooLarge = tooLarge;
        }

        /** True when the text is a count, only more than a {@code long} holds. */
        public boolean tooLarge() {
            return tooLarge;
        }
    }
}
