package io.jbits.spi;

/**
 * What identifies one version of a remote entity: its strong ETag, its Last-Modified value and its size.
 *
 * @param etag the strong ETag, or null (weak ETags are not kept: they cannot validate a range)
 * @param lastModified the Last-Modified header value as sent, or null
 * @param size the entity's length, or -1 when unknown
 */
public record Validator(String etag, String lastModified, long size) {
    public static final Validator NONE = new Validator(null, null, -1);

    /** True when nothing is known about the entity. */
    public boolean isEmpty() {
        return etag == null && lastModified == null && size < 0;
    }

    /**
     * True when {@code now} may be the same entity as this one: no known field differs. A field unknown on either
     * side does not count against a match, but at least one must be compared for a positive answer.
     */
    public boolean sameEntity(Validator now) {
        boolean compared = false;
        if (etag != null && now.etag != null) {
            if (!etag.equals(now.etag)) {
                return false;
            }
            compared = true;
        }
        if (lastModified != null && now.lastModified != null) {
            if (!lastModified.equals(now.lastModified)) {
                return false;
            }
            compared = true;
        }
        if (size >= 0 && now.size >= 0) {
            if (size != now.size) {
                return false;
            }
            compared = true;
        }
        return compared;
    }
}
