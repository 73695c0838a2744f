package io.jbits.server.upload;

/**
 * How the upload server tells a server application that an upload has arrived ({@code BITSServerNotificationType},
 * [MC-BUP] §3.2; docs/bits.md §8.7).
 */
public enum NotifyType {
    /** No application: the file is moved to the URL's place in the upload directory (type 0). */
    NONE,
    /**
     * The application gets an empty {@code POST} naming the uploaded data file and the file it must write its reply
     * into ({@code BITS-Request-DataFile-Name}, {@code BITS-Response-DataFile-Name}); type 1.
     */
    BY_REFERENCE,
    /** The application gets the uploaded file as the body of a {@code POST}; its response body is the reply (type 2). */
    BY_VALUE
}
