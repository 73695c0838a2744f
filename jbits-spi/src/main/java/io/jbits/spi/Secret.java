package io.jbits.spi;

import java.util.Arrays;

/**
 * A password on its way through the engine and the transports, which cannot be printed by accident:
 * {@link #toString} is {@code "****"}, equal secrets do not share a hash code that says anything about them, and the
 * characters come out only through {@link #reveal}, a name that stands out in review.
 */
public final class Secret {
    private static final Secret EMPTY = new Secret(new char[0]);

    private final char[] chars;

    private Secret(char[] chars) {
        this.chars = chars;
    }

    /** A secret holding a copy of {@code chars}; the caller may wipe its array afterwards. */
    public static Secret of(char[] chars) {
        return chars.length == 0 ? EMPTY : new Secret(chars.clone());
    }

    /** A secret holding {@code text}; null is the empty secret. */
    public static Secret of(String text) {
        return text == null || text.isEmpty() ? EMPTY : new Secret(text.toCharArray());
    }

    /** The empty secret (no password). */
    public static Secret empty() {
        return EMPTY;
    }

    /** The characters, in a new array the caller should wipe ({@code Arrays.fill(chars, '\0')}) once used. */
    public char[] reveal() {
        return chars.clone();
    }

    public boolean isEmpty() {
        return chars.length == 0;
    }

    /** Compares every character whatever the first difference, so the time taken says nothing of where it is. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Secret other) || other.chars.length != chars.length) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < chars.length; i++) {
            diff |= chars[i] ^ other.chars[i];
        }
        return diff == 0;
    }

    /** The same for every secret: a hash of the characters would be a clue to them wherever hashes are shown. */
    @Override
    public int hashCode() {
        return 0x5EC7E7;
    }

    @Override
    public String toString() {
        return "****";
    }

    /** A string for a digest or a comparison; callers never log it. Package-private for the option writer. */
    String revealText() {
        return new String(chars);
    }

    /** Overwrites a revealed copy. */
    public static void wipe(char[] revealed) {
        Arrays.fill(revealed, '\0');
    }
}
