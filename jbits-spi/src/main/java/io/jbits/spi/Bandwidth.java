package io.jbits.spi;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * A transfer rate in bytes per second, or {@link #UNLIMITED}: what a RATE on the command line or in the policy file
 * means.
 *
 * <p>RATE reads as rclone reads it: a byte count as {@link ByteSizes} reads it, a number with an optional binary
 * suffix, {@code k} (KiB/s), {@code M} (MiB/s), {@code G} (GiB/s), case-insensitive and with an optional trailing
 * {@code B}, plus an optional {@code /s}; a plain number is bytes per second; {@code off} is no limit. Fractions
 * are allowed ({@code 1.5G}). Rates below {@link #MIN_BYTES_PER_SECOND} are refused: a cap that low would look
 * like a hung transfer (BITS treats anything below 2 Kbit/s as 2 Kbit/s).
 *
 * @param bytesPerSecond the rate; negative for no limit
 */
public record Bandwidth(long bytesPerSecond) {
    /** No limit. */
    public static final Bandwidth UNLIMITED = new Bandwidth(-1);
    /** The smallest limit accepted: 1 KiB/s. */
    public static final long MIN_BYTES_PER_SECOND = 1024;

    public Bandwidth {
        if (bytesPerSecond < 0) {
            bytesPerSecond = -1;
        } else if (bytesPerSecond < MIN_BYTES_PER_SECOND) {
            throw new IllegalArgumentException("a rate limit must be at least 1k (1 KiB/s), not " + bytesPerSecond
                    + " bytes/s; use off for no limit");
        }
    }

    /** A limit of {@code bytesPerSecond}, or {@link #UNLIMITED} when it is negative. */
    public static Bandwidth of(long bytesPerSecond) {
        return bytesPerSecond < 0 ? UNLIMITED : new Bandwidth(bytesPerSecond);
    }

    public boolean isLimited() {
        return bytesPerSecond >= 0;
    }

    /**
     * Reads a RATE ({@code 512k}, {@code 4M}, {@code 1.5G}, {@code 65536}, {@code off}).
     *
     * @throws IllegalArgumentException naming the text and what a RATE looks like
     */
    public static Bandwidth parse(String text) {
        if (text == null || text.isBlank()) {
            throw bad(text, "it is empty");
        }
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("off") || s.equals("unlimited") || s.equals("none")) {
            return UNLIMITED;
        }
        if (s.endsWith("/s")) {
            s = s.substring(0, s.length() - 2);
        }
        long bps;
        try {
            bps = ByteSizes.parse(s);
        } catch (ByteSizes.BadSizeException e) {
            throw bad(text, e.getMessage());
        }
        if (bps > Long.MAX_VALUE / 2) {
            throw bad(text, "it is too large");
        }
        if (bps < MIN_BYTES_PER_SECOND) {
            throw bad(text, "it is below the smallest limit, 1k (1 KiB/s); use off for no limit");
        }
        return new Bandwidth(bps);
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("bad RATE '" + text + "': " + why
                + " (write 512k, 4M, 1.5G for KiB/s, MiB/s, GiB/s, plain bytes per second, or off)");
    }

    /** The rate as RATE text that {@link #parse} reads back: {@code off}, {@code 512k}, {@code 1.5M}, {@code 1000}. */
    @Override
    public String toString() {
        if (!isLimited()) {
            return "off";
        }
        long[] units = {1L << 30, 1L << 20, 1L << 10};
        String[] names = {"G", "M", "k"};
        for (int i = 0; i < units.length; i++) {
            if (bytesPerSecond >= units[i]) {
                BigDecimal v = BigDecimal.valueOf(bytesPerSecond).divide(BigDecimal.valueOf(units[i]));
                if (v.scale() <= 3 && v.precision() - v.scale() <= 6) {
                    return v.stripTrailingZeros().toPlainString() + names[i];
                }
            }
        }
        return Long.toString(bytesPerSecond);
    }

    /** For people: {@code 512 KiB/s}, {@code 1.5 MiB/s}, {@code no limit}. */
    public String describe() {
        if (!isLimited()) {
            return "no limit";
        }
        double v = bytesPerSecond;
        String[] names = {"B/s", "KiB/s", "MiB/s", "GiB/s"};
        int i = 0;
        while (v >= 1024 && i < names.length - 1) {
            v /= 1024;
            i++;
        }
        String n = v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
        return n + " " + names[i];
    }
}
