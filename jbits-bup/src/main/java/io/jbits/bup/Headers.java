package io.jbits.bup;

/**
 * The names of the HTTP headers of the BITS upload protocol ([MC-BUP] §2.2.2): those of the packets, those of the
 * server's {@link Ack}, and those between an upload server and the server application it notifies. HTTP header
 * names are case-insensitive; these are the spellings the spec uses and jbits sends.
 */
public final class Headers {

    /** Every packet and every Ack: the {@link PacketType} of a request, {@link Ack#PACKET_TYPE} in an answer. */
    public static final String PACKET_TYPE = "BITS-Packet-Type";
    /** The session a packet belongs to: chosen by the server in the Create-Session Ack, sent back by the client. */
    public static final String SESSION_ID = "BITS-Session-Id";
    /** Create-Session: the protocol GUIDs the client speaks, separated by blanks (only {@link Protocol#GUID}). */
    public static final String SUPPORTED_PROTOCOLS = "BITS-Supported-Protocols";
    /** The Create-Session Ack: the protocol GUID the server chose from the offered ones. */
    public static final String PROTOCOL = "BITS-Protocol";
    /** A Fragment's place in the file, {@code bytes first-last/total}: see {@link ContentRange}. */
    public static final String CONTENT_RANGE = "Content-Range";
    /** A Fragment: the client's name of the local file, informative only. */
    public static final String CONTENT_NAME = "Content-Name";
    /** A Fragment's Ack (also with 416): the offset of the next byte the server expects, in decimal. */
    public static final String RECEIVED_CONTENT_RANGE = "BITS-Received-Content-Range";
    /** The last Fragment's Ack of an upload-reply session: the URL the client fetches the reply from. */
    public static final String REPLY_URL = "BITS-Reply-URL";
    /** The Create-Session Ack of a server farm: the host that every later packet of the session goes to. */
    public static final String HOST_ID = "BITS-Host-Id";
    /**
     * With {@link #HOST_ID}: the seconds a client that cannot reach that host keeps trying before it starts over at
     * the original host; absent (or {@code 0xFFFFFFFF}) for never.
     */
    public static final String HOST_ID_FALLBACK_TIMEOUT = "BITS-Host-Id-Fallback-Timeout";
    /** A refusing Ack: the HRESULT of the error, in hex (see {@link Hresult}). */
    public static final String ERROR_CODE = "BITS-Error-Code";
    /** The name the spec's text also uses for {@link #ERROR_CODE}; a client reads either. */
    public static final String ERROR = "BITS-Error";
    /** A refusing Ack: where the error happened, in hex ({@link Hresult#CONTEXT_REMOTE_FILE} and the like). */
    public static final String ERROR_CONTEXT = "BITS-Error-Context";
    /** The Create-Session Ack: the content codings the server takes for fragment bodies ({@code identity}). */
    public static final String ACCEPT_ENCODING = "Accept-Encoding";
    /**
     * Not in [MC-BUP]: clients that cannot send an extension method send {@code POST} with this header set to
     * {@link Protocol#METHOD} (OneDrive's clients do).
     */
    public static final String METHOD_OVERRIDE = "X-Http-Method-Override";
    /**
     * Not in [MC-BUP]: in the Create-Session and Ping Acks of jbits serve, the largest fragment in bytes the server
     * takes in one packet. A client may grow its fragments past the 13 MB a Windows client sends up to that size;
     * without it, it stays below 13 MB, which IIS's default request limit (30 MB) also takes.
     */
    public static final String MAX_FRAGMENT = "X-Jbits-Max-Fragment";

    /** Notification of the server application: the URL the client uploaded to. */
    public static final String ORIGINAL_REQUEST_URL = "BITS-Original-Request-URL";
    /** Notification by reference: the path of the uploaded file. */
    public static final String REQUEST_DATA_FILE_NAME = "BITS-Request-DataFile-Name";
    /** Notification by reference: the path of the file the application writes its reply into. */
    public static final String RESPONSE_DATA_FILE_NAME = "BITS-Response-DataFile-Name";
    /** The application's answer: a URL to send the client to for the reply, instead of the reply file. */
    public static final String STATIC_RESPONSE_URL = "BITS-Static-Response-URL";
    /** The application's answer: keep the uploaded file at its destination too. */
    public static final String COPY_FILE_TO_DESTINATION = "BITS-Copy-File-To-Destination";

    private Headers() {
    }
}
