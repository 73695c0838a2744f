package io.jbits.core.policy;

import io.jbits.spi.Bandwidth;
import java.time.LocalDateTime;
import java.util.Objects;

/**
 * The owner's bandwidth policy: a limit for all jobs together and one for all background jobs together (HIGH,
 * NORMAL and LOW; FOREGROUND jobs are not background), each a {@link Timetable}. Per-job caps are job options
 * ({@code rate.max}), not part of the policy.
 *
 * <p>The service keeps it in a small text file that people may edit ({@link #parse}, {@link #toFileText}):
 * <pre>
 *   # comment
 *   limit = off
 *   background-limit = Mon-Fri 08:00,512k 18:00,off
 * </pre>
 *
 * @param limit the limit of all jobs together (foreground ones too)
 * @param backgroundLimit the limit of all background jobs together; the scavenger may hold them lower still
 */
public record BandwidthPolicy(Timetable limit, Timetable backgroundLimit) {
    /** No limits. */
    public static final BandwidthPolicy NONE = new BandwidthPolicy(Timetable.unlimited(), Timetable.unlimited());

    public BandwidthPolicy {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(backgroundLimit, "backgroundLimit");
    }

    public BandwidthPolicy withLimit(Timetable t) {
        return new BandwidthPolicy(t, backgroundLimit);
    }

    public BandwidthPolicy withBackgroundLimit(Timetable t) {
        return new BandwidthPolicy(limit, t);
    }

    /** The limits in force at a local time. */
    public Now at(LocalDateTime time) {
        return new Now(limit.at(time), backgroundLimit.at(time));
    }

    /** The limits in force at one moment. */
    public record Now(Timetable.Slot limit, Timetable.Slot backgroundLimit) {
    }

    /**
     * The limits in force at this moment, after the schedule and the scavenger, with the words that explain them.
     *
     * @param limit the limit of all jobs now
     * @param limitWhy "limit 4 MiB/s (schedule 08:00-18:00)", or "" when there is none
     * @param backgroundLimit the limit of all background jobs now (the policy's, or the scavenger's if lower)
     * @param backgroundWhy "background limit 512 KiB/s (schedule Mon-Fri 08:00-18:00)", the scavenger's reason, or
     *     "" when there is none
     */
    public record InForce(Bandwidth limit, String limitWhy, Bandwidth backgroundLimit, String backgroundWhy) {
    }

    /**
     * Reads the policy file's text: {@code name = value} lines, {@code #} comments, blank lines. Names not given
     * keep no limit.
     *
     * @throws IllegalArgumentException "line N: problem" for the first bad line
     */
    public static BandwidthPolicy parse(String text) {
        BandwidthPolicy p = NONE;
        String[] lines = text.split("\r?\n", -1);
        boolean[] seen = new boolean[2];
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("line " + (i + 1) + ": '" + line + "' is not 'name = value' "
                        + "(names: limit, background-limit)");
            }
            String name = line.substring(0, eq).strip();
            String value = unquote(line.substring(eq + 1).strip());
            int slot = switch (name) {
                case "limit" -> 0;
                case "background-limit" -> 1;
                default -> throw new IllegalArgumentException("line " + (i + 1) + ": unknown name '" + name
                        + "' (names: limit, background-limit)");
            };
            if (seen[slot]) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + name + " is set twice");
            }
            seen[slot] = true;
            Timetable t;
            try {
                t = Timetable.parse(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + name + ": " + e.getMessage());
            }
            p = slot == 0 ? p.withLimit(t) : p.withBackgroundLimit(t);
        }
        return p;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1).strip();
        }
        return v;
    }

    /** The policy file's text, with comments that explain it; {@link #parse} reads it back. */
    public String toFileText() {
        return """
                # jbits bandwidth policy. Edit freely: the service checks this file every second and applies a
                # change to running transfers at once; a bad line is reported (jbits policy show) and the
                # previous policy stays in force until the file is fixed.
                #
                # limit            all jobs together, foreground ones too
                # background-limit all background jobs (HIGH, NORMAL, LOW) together
                #
                # A value is a RATE: 512k, 4M, 1.5G (KiB/s, MiB/s, GiB/s), plain bytes per second, or off;
                # or a timetable of HH:MM,RATE entries, each in force until the next one, for every day or
                # for the days written before them:
                #   background-limit = Mon-Fri 08:00,512k 18:00,off
                #   background-limit = 08:00,1M 12:00,4M 13:00,1M 18:00,off
                # A job's own cap is set with: jbits set JOB --max-rate RATE
                limit = %s
                background-limit = %s
                """.formatted(limit, backgroundLimit);
    }
}
