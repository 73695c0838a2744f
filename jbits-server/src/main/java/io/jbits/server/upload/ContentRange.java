package io.jbits.server.upload;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Content-Range} of a Fragment: {@code bytes first-last/total}, zero-based and inclusive (RFC 9110
 * §14.4). An empty file is sent as {@code bytes *}{@code /0} with no body (inferred: the spec cannot express a range
 * of an empty file otherwise).
 *
 * @param firstByte offset of the first byte of the body
 * @param lengthBytes number of body bytes
 * @param totalBytes size of the whole upload
 */
record ContentRange(long firstByte, long lengthBytes, long totalBytes) {

    // MSDN writes "Bytes range/total-length"; some clients put '=' after the unit as in a Range header.
    private static final Pattern RANGE = Pattern.compile("(?i)\\s*bytes[\\s=]\\s*(\\d{1,19})\\s*-\\s*(\\d{1,19})\\s*/\\s*(\\d{1,19})\\s*");
    private static final Pattern EMPTY = Pattern.compile("(?i)\\s*bytes[\\s=]\\s*\\*\\s*/\\s*0+\\s*");

    /** The offset after the last byte. */
    long endByte() {
        return firstByte + lengthBytes;
    }

    /**
     * Parses the header and checks it against {@code Content-Length}.
     *
     * @throws UploadError 400 when the header is missing, malformed, inconsistent, or disagrees with the length
     */
    static ContentRange parse(String header, long contentLengthBytes) throws UploadError {
        if (header == null) {
            throw UploadError.invalid("a Fragment needs a Content-Range");
        }
        if (EMPTY.matcher(header).matches()) {
            if (contentLengthBytes != 0) {
                throw UploadError.invalid("Content-Range '" + header + "' has no bytes but Content-Length is "
                        + contentLengthBytes);
            }
            return new ContentRange(0, 0, 0);
        }
        Matcher m = RANGE.matcher(header);
        if (!m.matches()) {
            throw UploadError.invalid("Content-Range '" + header + "' is not 'bytes first-last/total'");
        }
        long first;
        long last;
        long total;
        try {
            first = Long.parseLong(m.group(1));
            last = Long.parseLong(m.group(2));
            total = Long.parseLong(m.group(3));
        } catch (NumberFormatException e) {
            throw UploadError.invalid("Content-Range '" + header + "' has a number out of range");
        }
        if (first > last || last >= total) {
            throw UploadError.invalid("Content-Range '" + header + "' is not a range inside the total");
        }
        if (last - first + 1 != contentLengthBytes) {
            throw UploadError.invalid("Content-Range '" + header + "' covers " + (last - first + 1)
                    + " bytes but Content-Length is " + contentLengthBytes);
        }
        return new ContentRange(first, contentLengthBytes, total);
    }
}
