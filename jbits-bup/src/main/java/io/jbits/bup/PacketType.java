package io.jbits.bup;

import java.util.Locale;

/**
 * The requests of the BITS upload protocol, as named by their {@link Headers#PACKET_TYPE} header ([MC-BUP] §2.2.1):
 * every request is a {@link Protocol#METHOD} packet of one of these types, and the server answers each with an
 * {@link Ack}. Servers compare the names without regard to case.
 */
public enum PacketType {
    /** Asks whether the server is there and speaks BITS; no session, no body. */
    PING("Ping"),
    /** Opens an upload session for the request URL, offering protocols in {@link Headers#SUPPORTED_PROTOCOLS}. */
    CREATE_SESSION("Create-Session"),
    /** Carries a part of the file, placed by its {@link Headers#CONTENT_RANGE}. */
    FRAGMENT("Fragment"),
    /** Ends a session whose file is complete (or whose reply has been fetched). */
    CLOSE_SESSION("Close-Session"),
    /** Ends a session and makes the server discard what it received. */
    CANCEL_SESSION("Cancel-Session");

    private final String wireName;

    PacketType(String wireName) {
        this.wireName = wireName;
    }

    /** The value of {@link Headers#PACKET_TYPE} for this packet, in the spec's spelling. */
    public String wireName() {
        return wireName;
    }

    /**
     * The packet type named by a {@link Headers#PACKET_TYPE} value, in any case and with surrounding blanks; null
     * for a missing or unknown name (an {@link Ack#PACKET_TYPE Ack} is no request).
     */
    public static PacketType parse(String value) {
        if (value == null) {
            return null;
        }
        String name = value.strip().toLowerCase(Locale.ROOT);
        for (PacketType type : values()) {
            if (type.wireName.toLowerCase(Locale.ROOT).equals(name)) {
                return type;
            }
        }
        return null;
    }
}
