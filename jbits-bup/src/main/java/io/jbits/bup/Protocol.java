package io.jbits.bup;

/** The constants that identify the BITS upload protocol on the wire: its request method and its protocol GUID. */
public final class Protocol {

    /**
     * The request method of every packet ([MC-BUP] §2.2): an HTTP extension method, so that a server that knows
     * nothing of BITS refuses the packets instead of taking them for a form post.
     */
    public static final String METHOD = "BITS_POST";

    /**
     * The one upload protocol ever defined, "BITS 1.5 Upload Protocol" ([MC-BUP] §2.2.1): the client offers it in
     * {@link Headers#SUPPORTED_PROTOCOLS} at Create-Session, the server names it in {@link Headers#PROTOCOL}.
     */
    public static final String GUID = "{7df0354d-249b-430f-820d-3d2a9bef4931}";

    private Protocol() {
    }
}
