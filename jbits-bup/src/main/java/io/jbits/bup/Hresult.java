package io.jbits.bup;

import java.util.Locale;

/**
 * The HRESULTs and error contexts an upload server sends in {@link Headers#ERROR_CODE} and
 * {@link Headers#ERROR_CONTEXT} of a refusing {@link Ack} ([MC-BUP] §3.2.5), and their wire form: {@code 0x} and
 * eight upper-case hex digits from the server, read by the client in any case, with or without {@code 0x}.
 */
public final class Hresult {

    /** A malformed packet, a bad header, a path that is no file name. */
    public static final int E_INVALIDARG = 0x80070057;
    /** The destination may not be written, or (with 501) uploads are not enabled on the server. */
    public static final int E_ACCESSDENIED = 0x80070005;
    /** Any other failure of the server. */
    public static final int E_FAIL = 0x80004005;
    /** The server does not know the session: the client starts over with Create-Session. */
    public static final int BG_E_SESSION_NOT_FOUND = 0x8020001F;
    /** The upload is larger than the server takes. */
    public static final int BG_E_TOO_LARGE = 0x80200020;
    /**
     * "Disk full" as [MC-BUP] §3.2.5 prints it. {@code HRESULT_FROM_WIN32(ERROR_DISK_FULL)} would be 0x80070070; the
     * server sends what the spec prints, since that is what a Windows client compares against.
     */
    public static final int DISK_FULL = 0x80070112;
    /**
     * {@code HRESULT_FROM_WIN32(ERROR_TIMEOUT)}: the server application did not answer in time (the spec's value is
     * a typo).
     */
    public static final int ERROR_TIMEOUT = 0x800705B4;

    /** {@code BG_ERROR_CONTEXT_REMOTE_FILE}: the upload server itself refused or failed. */
    public static final int CONTEXT_REMOTE_FILE = 0x5;
    /** {@code BG_ERROR_CONTEXT_REMOTE_APPLICATION}: the server application behind it failed. */
    public static final int CONTEXT_REMOTE_APPLICATION = 0x7;

    private static final int HTTP_BASE = 0x80190000;

    private Hresult() {
    }

    /** {@code BG_E_HTTP_ERROR_<status>}: how BITS reports an HTTP status as an HRESULT. */
    public static int ofHttpStatus(int status) {
        return HTTP_BASE + status;
    }

    /** The wire form of an HRESULT: {@code 0x} and eight upper-case hex digits. */
    public static String hex(int code) {
        return "0x" + String.format(Locale.ROOT, "%08X", code);
    }

    /** The wire form of an error context: {@code 0x} and its hex digits without leading zeros ({@code 0x5}). */
    public static String contextHex(int context) {
        return "0x" + Integer.toHexString(context);
    }

    /**
     * Reads an HRESULT or context leniently: hex digits in any case, with or without {@code 0x}; {@code absent} for
     * null, empty or malformed text. Values wider than 32 bits keep their low 32 bits.
     */
    public static int parse(String value, int absent) {
        if (value == null || value.isEmpty()) {
            return absent;
        }
        String digits = value.toLowerCase(Locale.ROOT).startsWith("0x") ? value.substring(2) : value;
        try {
            return (int) Long.parseLong(digits, 16);
        } catch (NumberFormatException e) {
            return absent;
        }
    }
}
