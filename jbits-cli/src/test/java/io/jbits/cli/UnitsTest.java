package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jbits.api.FileInfo;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.Priority;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/**
 * The command line prints sizes, times and aligned columns without java.util.Formatter or java.time's formatters (a
 * few ms of every short command to set up): each must print what the formatter printed, character for character.
 */
class UnitsTest {
    /** What {@link Units#bytes} printed with the formatter. */
    private static String formatterBytes(long n) {
        if (n < 0) {
            return "?";
        }
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int unit = 0;
        while (v >= 1024 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[unit]);
    }

    @Test
    void sizesReadAsTheFormatterPrintedThem() {
        List<Long> sizes = new ArrayList<>(List.of(-1L, 0L, 1L, 1023L, 1024L, 1075L, 1126L, 1127L, 1280L,
                1024L * 1024 - 1, 1024L * 1024, 1024L * 1024 - 52, 1024L * 1024 - 51, 1024L * 1024 - 53,
                (1L << 50) - 1, 1L << 50, (1L << 53) + 1, Long.MAX_VALUE));
        for (int shift = 10; shift <= 62; shift += 10) {
            // every rounding boundary x.x5 of the unit's first 1,024 units, and its neighbours
            for (long tenth = 0; tenth <= 10_240 && tenth <= (Long.MAX_VALUE >> shift) - 1; tenth++) {
                long at = (tenth * (1L << shift) + (1L << shift) / 2) / 10;
                sizes.addAll(List.of(at - 1, at, at + 1));
            }
        }
        SplittableRandom random = new SplittableRandom(20261206);
        for (int i = 0; i < 200_000; i++) {
            sizes.add(random.nextLong(1L << random.nextInt(1, 63)));
        }
        for (long n : sizes) {
            assertEquals(formatterBytes(n), Units.bytes(n), "size " + n);
        }
    }

    @Test
    void timesReadAsTheFormatterPrintedThem() {
        DateTimeFormatter pattern = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        SplittableRandom random = new SplittableRandom(7);
        List<Instant> times = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2026-12-06T15:05:17.641028110Z"),
                Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-06-01T00:00:00Z")));
        for (int i = 0; i < 10_000; i++) {
            times.add(Instant.ofEpochSecond(random.nextLong(-70_000_000_000L, 260_000_000_000L),
                    random.nextInt(1_000_000_000)));
        }
        for (Instant t : times) {
            int offset = TimeZone.getDefault().getOffset(t.toEpochMilli()) / 1000;
            String expected = pattern.format(LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(),
                    ZoneOffset.ofTotalSeconds(offset)));
            assertEquals(expected, Units.time(t), t.toString());
        }
        assertEquals("-", Units.time(null));
    }

    @Test
    void clocksAndColumnsReadAsTheFormatterPrintedThem() {
        for (long s : new long[] {0, 5, 59, 60, 61, 599, 3_599, 3_600, 3_661, 86_399, 360_000, 123_456_789}) {
            long h = s / 3600;
            long m = (s % 3600) / 60;
            String expected = h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s % 60)
                    : String.format(Locale.ROOT, "%d:%02d", m, s % 60);
            assertEquals(expected, Units.clock(Duration.ofSeconds(s)), s + " s");
        }
        for (String v : new String[] {"", "a", "TRANSFERRED", "a value longer than the width"}) {
            assertEquals(String.format("%-12s|", v), Units.left(new StringBuilder(), v, 12).append('|').toString());
            assertEquals(String.format("%21s|", v), Units.right(new StringBuilder(), v, 21).append('|').toString());
        }
    }

    @Test
    void infoAndTableLinesReadAsTheFormatterPrintedThem() {
        Instant t = Instant.parse("2026-12-06T15:05:17Z");
        JobInfo j = new JobInfo("1902c06d-c3eb-4273-8530-df466b7bcb3e", "nightly", "", JobType.UPLOAD,
                JobState.TRANSFERRING, Priority.HIGH, "ann", 3_000_000, 1_500_000, 2, 1, t, t, null,
                Duration.ofMinutes(10), Duration.ofDays(14), 0, null, 1_048_576,
                List.of(new FileInfo(0, "http://h/up", "/data/a.bin", 3_000_000, 1_500_000, false),
                        new FileInfo(12, "http://h/up2", "/data/b.bin", -1, 0, false)),
                null, 0, 0, Map.of(), null);
        String n = System.lineSeparator();
        String row = "%-36s  %-15s  %-10s  %-7s  %-23s  %s%n";
        assertEquals(String.format(Locale.ROOT, row, "ID", "STATE", "PRIORITY", "FILES", "BYTES", "NAME"),
                JobViews.tableHeader());
        assertEquals(String.format(Locale.ROOT, row, j.id(), j.state(), "high", "1/2", "1.4 MiB / 2.9 MiB",
                "nightly"), JobViews.tableRow(j));
        String info = JobViews.info(j);
        assertEquals(String.format(Locale.ROOT, "%-12s %s%n", "id:", j.id()), info.lines().findFirst().get() + n);
        assertEquals(String.format(Locale.ROOT, "  %-3d %-5s %21s  %s %s %s%n", 0, "50%", "1.4 MiB / 2.9 MiB",
                "/data/a.bin", "->", "http://h/up") + String.format(Locale.ROOT, "  %-3d %-5s %21s  %s %s %s%n", 12,
                "-", "0 B / ?", "/data/b.bin", "->", "http://h/up2"), info.substring(info.indexOf("files:" + n)
                + ("files:" + n).length()));
        assertEquals(String.format("%4s", "50%"), Progress.line(j, 0).substring(27, 31));
    }
}
