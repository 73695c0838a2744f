package io.jbits.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.TimeZone;

/** How sizes, rates, percentages, times and durations read on a terminal. */
final class Units {
    private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Units() {
    }

    /** {@code 512 B}, {@code 1.5 MiB}; {@code ?} for an unknown size (negative). */
    static String bytes(long n) {
        if (n < 0) {
            return "?";
        }
        if (n < 1024) {
            return n + " B";
        }
        if (n > MAX_EXACT) {
            double v = n;
            int unit = 0;
            while (v >= 1024 && unit < BYTE_UNITS.length - 1) {
                v /= 1024;
                unit++;
            }
            return String.format(Locale.ROOT, "%.1f %s", v, BYTE_UNITS[unit]);
        }
        /*
         * "%.1f" rounds half up the shortest decimal that reads back as the double n / 1024^unit. Below MAX_EXACT
         * that double is n / 1024^unit exactly, with at most 40 bits after the point, and no "x.x5" lies within half
         * its ulp unless it is that value: so rounding the exact quotient half up in integers prints the same,
         * without java.util.Formatter (its set-up is a few ms of every short command). UnitsTest compares the two.
         */
        int unit = 0;
        long scale = 1;
        while (n / scale >= 1024 && unit < BYTE_UNITS.length - 1) {
            scale *= 1024;
            unit++;
        }
        long tenths = (n * 10 + scale / 2) / scale;
        return (tenths / 10) + "." + (tenths % 10) + " " + BYTE_UNITS[unit];
    }

    /** 1 PiB: from there on, {@link #bytes} has the formatter print the double. */
    private static final long MAX_EXACT = (1L << 50) - 1;

    /** {@code value} then spaces up to {@code width} characters ({@code "%-<width>s"}). */
    static StringBuilder left(StringBuilder b, Object value, int width) {
        String s = String.valueOf(value);
        b.append(s);
        for (int i = s.length(); i < width; i++) {
            b.append(' ');
        }
        return b;
    }

    /** Spaces up to {@code width} characters, then {@code value} ({@code "%<width>s"}). */
    static StringBuilder right(StringBuilder b, Object value, int width) {
        String s = String.valueOf(value);
        for (int i = s.length(); i < width; i++) {
            b.append(' ');
        }
        return b.append(s);
    }

    /** {@code 12.3 MiB/s}. */
    static String rate(long bytesPerSecond) {
        return bytes(Math.max(0, bytesPerSecond)) + "/s";
    }

    /** {@code 42%}, or an empty string when the total is unknown. */
    static String percent(long done, long total) {
        if (total <= 0) {
            return total == 0 ? "100%" : "";
        }
        return Math.min(100, done * 100 / total) + "%";
    }

    /**
     * A local time, or {@code -} for none. The offset comes from {@link TimeZone} (the JDK's same time-zone data):
     * java.time's {@code ZoneId.systemDefault()} would first look for zone-rule providers in every jar of the class
     * path, a tenth of a short command's CPU.
     */
    static String time(Instant t) {
        if (t == null) {
            return "-";
        }
        int offsetSeconds = TimeZone.getDefault().getOffset(t.toEpochMilli()) / 1000;
        LocalDateTime local = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(),
                ZoneOffset.ofTotalSeconds(offsetSeconds));
        if (local.getYear() < 1 || local.getYear() > 9999) {
            return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(local); // its signs and widths
        }
        // "yyyy-MM-dd HH:mm:ss" by hand: java.time's formatters take a few ms to set up in a short command
        StringBuilder b = new StringBuilder(19);
        two(two(b, local.getYear() / 100), local.getYear() % 100).append('-');
        two(b, local.getMonthValue()).append('-');
        two(b, local.getDayOfMonth()).append(' ');
        two(b, local.getHour()).append(':');
        two(b, local.getMinute()).append(':');
        return two(b, local.getSecond()).toString();
    }

    private static StringBuilder two(StringBuilder b, int n) {
        return b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    /** {@code 1:02:03} or {@code 4:05}: a remaining time for people. */
    static String clock(Duration d) {
        long s = Math.max(0, d.getSeconds());
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        StringBuilder b = new StringBuilder();
        if (h > 0) {
            two(b.append(h).append(':'), (int) m);
        } else {
            b.append(m);
        }
        return two(b.append(':'), (int) sec).toString();
    }

    /** The text cut to a width, with an ellipsis when cut. */
    static String fit(String s, int width) {
        if (s.length() <= width) {
            return s;
        }
        return width <= 1 ? s.substring(0, width) : s.substring(0, width - 1) + "…";
    }
}
