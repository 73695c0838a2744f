package io.jbits.server.upload;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The part of an upload directory's path template from its {@code {user}} segment on: each upload is stored below
 * the authenticated user's own directory ({@code /srv/uploads/{user}} puts alice's {@code /a.dmp} at
 * {@code /srv/uploads/alice/a.dmp}).
 *
 * <p>The user name becomes a path segment only if it is a plain file name: not empty, without {@code /},
 * {@code \}, {@code :}, NUL or other control characters, not starting with a dot (so never {@code .}, {@code ..} or
 * the server's own {@code .jbits-} names), and at most 255 bytes. Any other name gets {@code E_ACCESSDENIED}: it can
 * never lead out of the upload directory.
 *
 * @param segments the segments below the upload directory, each {@value #PLACEHOLDER} or a plain name; empty when
 *     uploads are not stored by user
 */
public record UserPath(List<String> segments) {

    /** The placeholder for the user's name, a whole segment of the path. */
    public static final String PLACEHOLDER = "{user}";

    /** Uploads stored directly in the upload directory. */
    public static final UserPath NONE = new UserPath(List.of());

    private static final int MAX_SEGMENT_BYTES = 255;

    public UserPath {
        segments = List.copyOf(segments);
        for (String segment : segments) {
            if (!segment.equals(PLACEHOLDER) && !isPlainName(segment)) {
                throw new IllegalArgumentException("'" + segment + "' is not a plain directory name");
            }
        }
        if (!segments.isEmpty() && !segments.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException("a user path needs " + PLACEHOLDER);
        }
    }

    /**
     * The upload directory of a path template: everything before its first {@value #PLACEHOLDER} segment (the
     * template itself when it has none; {@code .} when it starts with one).
     */
    public static String uploadDirOf(String template) {
        List<String> parts = split(template);
        int first = parts.indexOf(PLACEHOLDER);
        if (first < 0) {
            return template;
        }
        String joined = String.join("/", parts.subList(0, first));
        return template.startsWith("/") ? "/" + joined : joined.isEmpty() ? "." : joined;
    }

    /**
     * The user path of a template: its segments from the first {@value #PLACEHOLDER} on, or {@link #NONE}.
     *
     * @throws IllegalArgumentException when {@value #PLACEHOLDER} is only part of a segment, or a later segment is
     *     no plain name
     */
    public static UserPath of(String template) {
        List<String> parts = split(template);
        int first = parts.indexOf(PLACEHOLDER);
        if (first < 0) {
            return NONE;
        }
        return new UserPath(parts.subList(first, parts.size()));
    }

    private static List<String> split(String template) {
        List<String> parts = new ArrayList<>();
        for (String part : template.split("/")) {
            if (part.contains(PLACEHOLDER) && !part.equals(PLACEHOLDER)) {
                throw new IllegalArgumentException(PLACEHOLDER + " must be a whole segment of the path, as in "
                        + "/srv/uploads/" + PLACEHOLDER + ", not '" + part + "'");
            }
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }

    /** True when uploads are stored below the user's own directory. */
    public boolean byUser() {
        return !segments.isEmpty();
    }

    /**
     * The percent-encoded path to put before a request's path for {@code user} ({@code /alice}), empty when uploads
     * are not stored by user.
     *
     * @throws UploadError 403 {@code E_ACCESSDENIED} when there is no user, or the name is no plain file name
     */
    String rawPrefix(String user) throws UploadError {
        if (!byUser()) {
            return "";
        }
        if (user == null) {
            throw UploadError.accessDenied(403, "uploads here are stored by user, and the request has none");
        }
        if (!isPlainName(user)) {
            throw UploadError.accessDenied(403, "the user name '" + user.replaceAll("\\p{Cntrl}", "?")
                    + "' cannot be a directory name");
        }
        StringBuilder raw = new StringBuilder();
        for (String segment : segments) {
            raw.append('/').append(encode(segment.equals(PLACEHOLDER) ? user : segment));
        }
        return raw.toString();
    }

    private static boolean isPlainName(String name) {
        if (name.isEmpty() || name.startsWith(".")
                || name.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == ':') {
                return false;
            }
        }
        return !name.toLowerCase(Locale.ROOT).startsWith(UploadTarget.RESERVED_PREFIX);
    }

    /** Percent-encodes every byte but the unreserved ones (RFC 3986), as the request path is before decoding. */
    private static String encode(String name) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return encoded.toString();
    }
}
