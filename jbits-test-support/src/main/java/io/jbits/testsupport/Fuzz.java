package io.jbits.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One seeded fuzzing run: how many inputs to try ({@code -Dfuzz.inputs}, a short default for CI), from which seed
 * ({@code -Dfuzz.seed}, printed so that any failure can be replayed), and the mutations that turn valid inputs into
 * hostile ones. Every failure message carries the seed and the input's number; {@link #done} prints the count.
 *
 * <p>Mutations work on bytes: flip a bit, overwrite, insert or delete a run, duplicate a slice, splice in a token
 * that parsers care about (CRLF, separators, signs, huge and boundary numbers, path traversal, escapes, non-ASCII),
 * or replace a run of digits by a boundary number. One to four of them per input.
 */
public final class Fuzz {
    /** Tokens that parsers of HTTP heads, ranges, paths, JSON and command lines treat specially. */
    private static final List<String> TOKENS = List.of("\r\n", "\r\n\r\n", "\n", "\r", ":", " ", "\t", "\0", ",",
            ";", "=", "-", "/", "*", "..", "../", "..\\", "%2e%2e%2f", "%00", "%", "{", "}", "[", "]", "\"", "\\",
            "\\u0000", "'", "-1", "0", "-0", "+1", "1e999", "NaN", "null", "true", "9223372036854775807",
            "9223372036854775808", "18446744073709551616", "2147483648", "-9223372036854775808",
            "99999999999999999999999", "0x10", "bytes ", "bytes=", "*/", "chunked", "HTTP/1.1 ", "HTTP/1.0 ",
            "Content-Length: ", "Transfer-Encoding: chunked", "Content-Range: ", "\u00ff", "\u00fc", "\ufeff",
            "\ud83d\ude00", "\u202e", "~", "$HOME", "`id`", "$(id)", "--", "--help", "-", "P1D", "PT-1S", "5s", "-5s");

    private final String name;
    private final long seed;
    private final int inputs;
    private final long startNanos = System.nanoTime();

    private Fuzz(String name, long seed, int inputs) {
        this.name = name;
        this.seed = seed;
        this.inputs = inputs;
    }

    /**
     * The run of fuzzer {@code name}: {@code -Dfuzz.inputs} inputs (else {@code defaultInputs}) from
     * {@code -Dfuzz.seed} (a number, or {@code random}; else 1, so that CI runs the same inputs every time).
     */
    public static Fuzz start(String name, int defaultInputs) {
        String seedText = System.getProperty("fuzz.seed", "1").strip();
        long seed = seedText.equalsIgnoreCase("random") ? System.nanoTime() ^ System.currentTimeMillis()
                : Long.parseLong(seedText);
        int inputs = Integer.getInteger("fuzz.inputs", defaultInputs);
        Fuzz fuzz = new Fuzz(name, seed, inputs);
        System.out.println("fuzz " + name + ": " + inputs + " inputs from seed " + seed
                + " (-Dfuzz.seed=" + seed + " -Dfuzz.inputs=" + inputs + " replays it)");
        return fuzz;
    }

    /** How many inputs this run tries. */
    public int inputs() {
        return inputs;
    }

    /** The generator of input {@code n}: each input has its own, so one can be replayed alone. */
    public SplittableRandom random(int n) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + n);
    }

    /** Where a failure came from, for assertion messages. */
    public String where(int n, Object input) {
        String shown = String.valueOf(input);
        if (shown.length() > 600) {
            shown = shown.substring(0, 600) + "…(" + shown.length() + " chars)";
        }
        return "fuzz " + name + " seed " + seed + " input #" + n + ": " + escape(shown);
    }

    /** Prints how many inputs were tried and how long it took. */
    public void done(int tried) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        System.out.printf("fuzz %s: %d inputs tried from seed %d in %.1f s%n", name, tried, seed,
                took.toMillis() / 1000.0);
    }

    /** One of {@code choices}, at random. */
    public static <T> T pick(SplittableRandom r, List<T> choices) {
        return choices.get(r.nextInt(choices.size()));
    }

    /** {@code text} with one to four mutations (as UTF-8 bytes, read back as UTF-8). */
    public static String mutate(SplittableRandom r, String text) {
        return new String(mutate(r, text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /** {@code input} with one to four mutations. */
    public static byte[] mutate(SplittableRandom r, byte[] input) {
        byte[] b = input;
        int count = 1 + r.nextInt(4);
        for (int i = 0; i < count; i++) {
            b = mutateOnce(r, b);
        }
        return b;
    }

    private static byte[] mutateOnce(SplittableRandom r, byte[] b) {
        int at = b.length == 0 ? 0 : r.nextInt(b.length + 1);
        switch (r.nextInt(8)) {
            case 0 -> {
                if (b.length > 0) {
                    byte[] c = b.clone();
                    int p = r.nextInt(b.length);
                    c[p] ^= (byte) (1 << r.nextInt(8));
                    return c;
                }
                return b;
            }
            case 1 -> {
                byte[] run = new byte[1 + r.nextInt(8)];
                r.nextBytes(run);
                return splice(b, at, Math.min(b.length, at + run.length), run);
            }
            case 2 -> {
                byte[] run = new byte[1 + r.nextInt(16)];
                r.nextBytes(run);
                return splice(b, at, at, run);
            }
            case 3 -> {
                int end = Math.min(b.length, at + 1 + r.nextInt(16));
                return splice(b, at, end, new byte[0]);
            }
            case 4 -> {
                if (b.length == 0) {
                    return b;
                }
                int from = r.nextInt(b.length);
                int len = Math.min(b.length - from, 1 + r.nextInt(64));
                byte[] slice = java.util.Arrays.copyOfRange(b, from, from + len);
                return splice(b, at, at, repeat(slice, 1 + r.nextInt(r.nextInt(10) == 0 ? 200 : 3)));
            }
            case 5, 6 -> {
                return splice(b, at, at, pick(r, TOKENS).getBytes(StandardCharsets.UTF_8));
            }
            default -> {
                return replaceNumber(r, b);
            }
        }
    }

    /** Replaces the first run of digits at or after a random position with a boundary number. */
    private static byte[] replaceNumber(SplittableRandom r, byte[] b) {
        int start = b.length == 0 ? 0 : r.nextInt(b.length);
        for (int i = 0; i < b.length; i++) {
            int p = (start + i) % b.length;
            if (Character.isDigit(b[p])) {
                int s = p;
                while (s > 0 && Character.isDigit(b[s - 1])) {
                    s--;
                }
                int e = p;
                while (e < b.length && Character.isDigit(b[e])) {
                    e++;
                }
                String n = pick(r, List.of("0", "1", "-1", "255", "65536", "2147483647", "2147483648",
                        "4294967296", "9223372036854775807", "9223372036854775808", "99999999999999999999",
                        Long.toString(r.nextLong() & Long.MAX_VALUE), Integer.toString(r.nextInt(100_000))));
                return splice(b, s, e, n.getBytes(StandardCharsets.US_ASCII));
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        byte[] c = new byte[b.length - (to - from) + insert.length];
        System.arraycopy(b, 0, c, 0, from);
        System.arraycopy(insert, 0, c, from, insert.length);
        System.arraycopy(b, to, c, from + insert.length, b.length - to);
        return c;
    }

    private static byte[] repeat(byte[] slice, int times) {
        byte[] c = new byte[slice.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(slice, 0, c, i * slice.length, slice.length);
        }
        return c;
    }

    /** Control characters shown as escapes, so a failing input prints on one line. */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
