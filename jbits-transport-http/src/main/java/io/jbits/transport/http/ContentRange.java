package io.jbits.transport.http;

/**
 * A parsed {@code Content-Range: bytes first-last/total} header of a 206 answer (RFC 9110 §14.4).
 *
 * @param first the position of the first byte sent
 * @param last the position of the last byte sent (inclusive)
 * @param total the entity's length, or -1 for {@code *}
 */
record ContentRange(long first, long last, long total) {

    /** The number of bytes the range holds. */
    long length() {
        return last - first + 1;
    }

    /**
     * Parses a satisfied byte range strictly: one range, digits only, {@code first <= last < total}.
     *
     * @throws IllegalArgumentException naming the header value when it is not such a range
     */
    static ContentRange parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("no Content-Range header");
        }
        String v = value.trim();
        int dash = v.indexOf('-');
        int slash = v.indexOf('/');
        if (!v.regionMatches(true, 0, "bytes ", 0, 6) || dash < 0 || slash < dash) {
            throw new IllegalArgumentException("malformed Content-Range: " + value);
        }
        long first = digits(v.substring(6, dash).trim(), value);
        long last = digits(v.substring(dash + 1, slash), value);
        String totalText = v.substring(slash + 1);
        long total = totalText.equals("*") ? -1 : digits(totalText, value);
        if (last < first || (total >= 0 && last >= total)) {
            throw new IllegalArgumentException("impossible Content-Range: " + value);
        }
        return new ContentRange(first, last, total);
    }

    /**
     * The complete length in an unsatisfied-range header ({@code bytes *}{@code /total}, sent with 416), or -1 when
     * the header is absent or not of that form.
     */
    static long unsatisfiedTotal(String value) {
        if (value == null) {
            return -1;
        }
        String v = value.trim();
        if (!v.regionMatches(true, 0, "bytes */", 0, 8)) {
            return -1;
        }
        try {
            return digits(v.substring(8), value);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static long digits(String text, String header) {
        if (text.isEmpty() || text.length() > 18) {
            throw new IllegalArgumentException("bad number '" + text + "' in Content-Range: " + header);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("bad number '" + text + "' in Content-Range: " + header);
            }
        }
        return Long.parseLong(text);
    }
}
