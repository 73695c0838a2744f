package io.jbits.server.upload;

import java.util.Locale;

/** The HRESULTs and error contexts the upload server sends in {@code BITS-Error-Code} and {@code BITS-Error-Context}. */
final class Hresult {

    static final int E_INVALIDARG = 0x80070057;
    static final int E_ACCESSDENIED = 0x80070005;
    static final int E_FAIL = 0x80004005;
    static final int BG_E_SESSION_NOT_FOUND = 0x8020001F;
    static final int BG_E_TOO_LARGE = 0x80200020;
    /**
     * "Disk full" as [MC-BUP] §3.2.5 prints it. {@code HRESULT_FROM_WIN32(ERROR_DISK_FULL)} would be 0x80070070; we
     * send what the spec prints, since that is what a Windows client compares against.
     */
    static final int DISK_FULL = 0x80070112;
    /** {@code HRESULT_FROM_WIN32(ERROR_TIMEOUT)}: the application did not answer in time (the spec's value is a typo). */
    static final int ERROR_TIMEOUT = 0x800705B4;

    /** {@code BG_ERROR_CONTEXT_REMOTE_FILE}: the upload server itself refused or failed. */
    static final int CONTEXT_REMOTE_FILE = 0x5;
    /** {@code BG_ERROR_CONTEXT_REMOTE_APPLICATION}: the server application behind it failed. */
    static final int CONTEXT_REMOTE_APPLICATION = 0x7;

    private static final int HTTP_BASE = 0x80190000;

    private Hresult() {
    }

    /** {@code BG_E_HTTP_ERROR_<status>}: how BITS reports an HTTP status as an HRESULT. */
    static int ofHttpStatus(int status) {
        return HTTP_BASE + status;
    }

    /** The wire form: {@code 0x} and eight upper-case hex digits. */
    static String hex(int code) {
        return "0x" + String.format(Locale.ROOT, "%08X", code);
    }
}
