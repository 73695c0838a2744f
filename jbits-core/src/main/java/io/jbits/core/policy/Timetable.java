package io.jbits.core.policy;

import io.jbits.spi.Bandwidth;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A rate limit that changes with the time of day and the day of the week: a plain {@link Bandwidth}, or a timetable
 * in rclone's style.
 *
 * <p>A timetable is a list of {@code HH:MM,RATE} entries separated by spaces; each entry sets the limit from that
 * time on, until the next entry. Entries apply every day unless a day group comes before them:
 * <pre>
 *   08:00,512k 18:00,off                     every day: 512 KiB/s from 08:00, no limit from 18:00
 *   Mon-Fri 08:00,512k 18:00,off             the same on working days; the weekend keeps Friday's 18:00 entry
 *   Mon-Fri 08:00,512k 18:00,4M Sat,Sun 10:00,1M
 *   Mon-08:00,512k Fri-18:00,off             rclone's own form: a day glued to one entry
 * </pre>
 * A day group is a day ({@code Mon}), a range ({@code Mon-Fri}, which may wrap: {@code Fri-Mon}) or a comma list
 * ({@code Sat,Sun}). At any moment the entry in force is the latest one at or before it in the week, wrapping
 * around from the last entry of the week, so every moment has exactly one limit. BITS's group-policy shape (one
 * limit inside a window of hours, another outside) is the two-entry timetable {@link #window}.
 *
 * @param text the timetable as written (normalised: single spaces), or the RATE for a constant limit
 * @param entries the entries by time in the week; one entry at Monday 00:00 for a constant limit
 */
public record Timetable(String text, List<Entry> entries) {
    private static final int MINUTES_PER_DAY = 24 * 60;
    private static final String[] DAY_NAMES = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

    public Timetable {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a timetable needs at least one entry");
        }
    }

    /**
     * One entry: from {@code minuteOfWeek} (0 = Monday 00:00) the limit is {@code rate}.
     *
     * @param days the day group it was written under ("" for every day), to describe it
     */
    public record Entry(int minuteOfWeek, Bandwidth rate, String days) {
    }

    /** The limit in force at a moment, and the words that say where it comes from. */
    public record Slot(Bandwidth rate, String window) {
    }

    /** A constant limit. */
    public static Timetable constant(Bandwidth rate) {
        return new Timetable(rate.toString(), List.of(new Entry(0, rate, "")));
    }

    /** No limit at any time. */
    public static Timetable unlimited() {
        return constant(Bandwidth.UNLIMITED);
    }

    /** True when the limit is the same at every moment. */
    public boolean isConstant() {
        return entries.stream().map(Entry::rate).distinct().count() == 1;
    }

    /**
     * BITS's group-policy shape: {@code inside} during a window of hours, {@code outside} at all other times.
     *
     * @param window {@code [DAYS ]HH:MM-HH:MM}, e.g. {@code 08:00-18:00} or {@code Mon-Fri 08:00-18:00}
     */
    public static Timetable window(String window, Bandwidth inside, Bandwidth outside) {
        String w = window == null ? "" : window.trim();
        int space = w.lastIndexOf(' ');
        String days = space < 0 ? "" : w.substring(0, space).trim() + " ";
        String hours = w.substring(space + 1);
        int dash = hours.indexOf('-');
        if (dash < 0) {
            throw new IllegalArgumentException("bad window '" + window + "': write [DAYS ]HH:MM-HH:MM, e.g. "
                    + "Mon-Fri 08:00-18:00");
        }
        String from = hours.substring(0, dash);
        String to = hours.substring(dash + 1);
        if (minuteOfDay(from, window) == minuteOfDay(to, window)) {
            throw new IllegalArgumentException("bad window '" + window + "': it starts and ends at the same time");
        }
        return parse(days + from + "," + inside + " " + to + "," + outside);
    }

    /**
     * Reads a RATE or a timetable.
     *
     * @throws IllegalArgumentException saying which entry is wrong and why
     */
    public static Timetable parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty TIMETABLE: write a RATE (512k, off) or entries such as "
                    + "'Mon-Fri 08:00,512k 18:00,off'");
        }
        String normal = String.join(" ", text.trim().split("\\s+"));
        if (!normal.contains(",") && !normal.contains(" ")) {
            return constant(Bandwidth.parse(normal));
        }
        Set<DayOfWeek> days = EnumSet.allOf(DayOfWeek.class);
        String dayLabel = "";
        List<Entry> out = new ArrayList<>();
        for (String token : normal.split(" ")) {
            int comma = token.indexOf(',');
            boolean isEntry = comma > 0 && token.substring(0, comma).contains(":");
            if (!isEntry) {
                days = days(token, normal);
                dayLabel = token;
                continue;
            }
            String when = token.substring(0, comma);
            Set<DayOfWeek> entryDays = days;
            String entryLabel = dayLabel;
            int glued = when.indexOf('-');
            if (glued > 0) { // rclone's "Mon-08:00,512k": the day belongs to this entry only
                entryLabel = when.substring(0, glued);
                entryDays = days(entryLabel, normal);
                when = when.substring(glued + 1);
            }
            int minute = minuteOfDay(when, normal);
            Bandwidth rate;
            try {
                rate = Bandwidth.parse(token.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad TIMETABLE '" + normal + "': entry '" + token + "': "
                        + e.getMessage());
            }
            for (DayOfWeek d : entryDays) {
                int at = (d.getValue() - 1) * MINUTES_PER_DAY + minute;
                for (Entry e : out) {
                    if (e.minuteOfWeek() == at) {
                        throw new IllegalArgumentException("bad TIMETABLE '" + normal + "': two entries for "
                                + dayName(d) + " " + when);
                    }
                }
                out.add(new Entry(at, rate, entryLabel));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("bad TIMETABLE '" + normal + "': no HH:MM,RATE entry");
        }
        out.sort(Comparator.comparingInt(Entry::minuteOfWeek));
        return new Timetable(normal, out);
    }

    /** The limit in force at a local date and time. */
    public Slot at(LocalDateTime time) {
        int now = (time.getDayOfWeek().getValue() - 1) * MINUTES_PER_DAY + time.getHour() * 60 + time.getMinute();
        int index = entries.size() - 1; // before the week's first entry, the last one is still in force
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).minuteOfWeek() <= now) {
                index = i;
            }
        }
        Entry e = entries.get(index);
        if (isConstant()) {
            return new Slot(e.rate(), "");
        }
        Entry next = entries.get((index + 1) % entries.size());
        String days = e.days().isEmpty() ? "" : e.days() + " ";
        return new Slot(e.rate(), "schedule " + days + clock(e.minuteOfWeek()) + "-" + clock(next.minuteOfWeek()));
    }

    @Override
    public String toString() {
        return text;
    }

    private static String clock(int minuteOfWeek) {
        int m = minuteOfWeek % MINUTES_PER_DAY;
        return String.format(Locale.ROOT, "%02d:%02d", m / 60, m % 60);
    }

    private static int minuteOfDay(String hhmm, String whole) {
        int colon = hhmm.indexOf(':');
        try {
            if (colon < 1 || hhmm.length() - colon != 3) {
                throw new NumberFormatException();
            }
            int h = Integer.parseInt(hhmm.substring(0, colon));
            int m = Integer.parseInt(hhmm.substring(colon + 1));
            if (h < 0 || h > 23 || m < 0 || m > 59) {
                throw new NumberFormatException();
            }
            return h * 60 + m;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad TIMETABLE '" + whole + "': '" + hhmm
                    + "' is not a time of day HH:MM (00:00 to 23:59)");
        }
    }

    private static Set<DayOfWeek> days(String group, String whole) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : group.split(",")) {
            int dash = part.indexOf('-');
            if (dash < 0) {
                days.add(day(part, whole));
            } else {
                DayOfWeek from = day(part.substring(0, dash), whole);
                DayOfWeek to = day(part.substring(dash + 1), whole);
                for (DayOfWeek d = from; ; d = d.plus(1)) {
                    days.add(d);
                    if (d == to) {
                        break;
                    }
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String name, String whole) {
        String n = name.toLowerCase(Locale.ROOT);
        for (int i = 0; i < DAY_NAMES.length; i++) {
            if (n.length() >= 3 && (DAY_NAMES[i].equals(n) || dayName(DayOfWeek.of(i + 1))
                    .toLowerCase(Locale.ROOT).startsWith(n) && n.startsWith(DAY_NAMES[i]))) {
                return DayOfWeek.of(i + 1);
            }
        }
        throw new IllegalArgumentException("bad TIMETABLE '" + whole + "': '" + name + "' is neither a day "
                + "(Mon, Tue, Wed, Thu, Fri, Sat, Sun; ranges such as Mon-Fri) nor an HH:MM,RATE entry");
    }

    private static String dayName(DayOfWeek d) {
        String s = d.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
