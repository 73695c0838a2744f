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
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

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
        double v = n;
        int unit = 0;
        while (v >= 1024 && unit < BYTE_UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, BYTE_UNITS[unit]);
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
        return LOCAL_TIME.format(LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(),
                ZoneOffset.ofTotalSeconds(offsetSeconds)));
    }

    /** {@code 1:02:03} or {@code 4:05}: a remaining time for people. */
    static String clock(Duration d) {
        long s = Math.max(0, d.getSeconds());
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    /** The text cut to a width, with an ellipsis when cut. */
    static String fit(String s, int width) {
        if (s.length() <= width) {
            return s;
        }
        return width <= 1 ? s.substring(0, width) : s.substring(0, width - 1) + "…";
    }
}
