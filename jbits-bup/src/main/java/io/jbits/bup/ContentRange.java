package io.jbits.bup;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@link Headers#CONTENT_RANGE} of a Fragment: {@code bytes first-last/total}, zero-based and inclusive (RFC 9110
 * §14.4), placing the fragment's body in the file being uploaded ([MC-BUP] §2.2.1). An empty file is sent as
 * {@code bytes *}{@code /0} with no body (inferred: the spec cannot express a range of an empty file otherwise).
 *
 * <p>The client writes the canonical form ({@link #headerValue()}); the server reads leniently ({@link #parse}):
 * the unit in any case, blanks around the numbers, and {@code bytes=} as some clients write it.
 *
 * @param firstByte offset of the first byte of the body
 * @param lengthBytes number of body bytes; 0 only for the empty file
 * @param totalBytes size of the whole upload
 */
public record ContentRange(long firstByte, long lengthBytes, long totalBytes) {

    // MSDN writes "Bytes range/total-length"; some clients put '=' after the unit as in a Range header.
    private static final Pattern RANGE = Pattern.compile(
            "(?i)\\s*bytes[\\s=]\\s*(\\d{1,19})\\s*-\\s*(\\d{1,19})\\s*/\\s*(\\d{1,19})\\s*");
    private static final Pattern EMPTY = Pattern.compile("(?i)\\s*bytes[\\s=]\\s*\\*\\s*/\\s*0+\\s*");

    /**
     * A range of {@code lengthBytes} from {@code firstByte} inside a file of {@code totalBytes}.
     *
     * @throws IllegalArgumentException for a negative number, a range beyond the total, or an empty range of a
     *     file that is not empty
     */
    public ContentRange {
        if (firstByte < 0 || lengthBytes < 0 || totalBytes < 0 || firstByte > totalBytes - lengthBytes
                || (lengthBytes == 0 && totalBytes != 0)) {
            throw new IllegalArgumentException("no fragment range: " + lengthBytes + " bytes from " + firstByte
                    + " of " + totalBytes);
        }
    }

    /** The whole of an empty file: {@code bytes *}{@code /0}. */
    public static ContentRange emptyFile() {
        return new ContentRange(0, 0, 0);
    }

    /** The offset after the last byte. */
    public long endByte() {
        return firstByte + lengthBytes;
    }

    /** The header value: {@code bytes first-last/total}, or {@code bytes *}{@code /0} for the empty file. */
    public String headerValue() {
        return totalBytes == 0 ? "bytes */0" : "bytes " + firstByte + "-" + (endByte() - 1) + "/" + totalBytes;
    }

    /**
     * Parses a Fragment's header.
     *
     * @throws IllegalArgumentException naming the header when it is missing, malformed, has a number beyond a
     *     {@code long}, or is not a range inside its total
     */
    public static ContentRange parse(String header) {
        if (header == null) {
            throw new IllegalArgumentException("a Fragment needs a Content-Range");
        }
        if (EMPTY.matcher(header).matches()) {
            return emptyFile();
        }
        Matcher m = RANGE.matcher(header);
        if (!m.matches()) {
            throw new IllegalArgumentException("Content-Range '" + header + "' is not 'bytes first-last/total'");
        }
        long first;
        long last;
        long total;
        try {
            first = Long.parseLong(m.group(1));
            last = Long.parseLong(m.group(2));
            total = Long.parseLong(m.group(3));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Content-Range '" + header + "' has a number out of range", e);
        }
        if (first > last || last >= total) {
            throw new IllegalArgumentException("Content-Range '" + header + "' is not a range inside the total");
        }
        return new ContentRange(first, last - first + 1, total);
    }

    /**
     * Parses a Fragment's header and checks it against the Fragment's {@code Content-Length}: the range covers
     * exactly the body.
     *
     * @throws IllegalArgumentException as {@link #parse(String)} does, and when the range and the length disagree
     */
    public static ContentRange parse(String header, long contentLengthBytes) {
        ContentRange range = parse(header);
        if (range.lengthBytes != contentLengthBytes) {
            throw new IllegalArgumentException(range.totalBytes == 0
                    ? "Content-Range '" + header + "' has no bytes but Content-Length is " + contentLengthBytes
                    : "Content-Range '" + header + "' covers " + range.lengthBytes + " bytes but Content-Length is "
                            + contentLengthBytes);
        }
        return range;
    }
}
