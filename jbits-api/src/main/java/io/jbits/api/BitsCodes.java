package io.jbits.api;

import java.util.Map;

/**
 * The result codes jbits reports, with BITS's values ({@code HRESULT}s of facility 0x20, HTTP statuses as
 * {@code 0x80190000 + status}, Win32 errors wrapped as {@code 0x8007xxxx}).
 */
public final class BitsCodes {
    public static final int BG_E_NOT_FOUND = 0x80200001;
    public static final int BG_E_INVALID_STATE = 0x80200002;
    public static final int BG_E_EMPTY = 0x80200003;
    public static final int BG_E_MISSING_FILE_SIZE = 0x80200011;
    public static final int BG_E_INSUFFICIENT_RANGE_SUPPORT = 0x80200013;
    public static final int BG_E_INVALID_SERVER_RESPONSE = 0x8020001B;
    public static final int BG_E_TOO_MANY_FILES = 0x8020001C;
    public static final int BG_E_LOCAL_FILE_CHANGED = 0x8020001D;
    public static final int BG_E_SESSION_NOT_FOUND = 0x8020001F;
    public static final int BG_E_TOO_LARGE = 0x80200020;
    public static final int BG_E_STRING_TOO_LONG = 0x80200021;
    public static final int BG_E_CLIENT_SERVER_PROTOCOL_MISMATCH = 0x80200022;
    public static final int BG_E_NO_PROGRESS = 0x80200024;
    public static final int BG_E_FILE_NOT_FOUND = 0x80200029;
    public static final int BG_E_CONNECT_FAILURE = 0x8020002D;
    public static final int BG_E_CONNECTION_CLOSED = 0x8020002E;
    public static final int BG_E_INVALID_PROXY_INFO = 0x8020003F;
    public static final int BG_E_INVALID_CREDENTIALS = 0x80200040;
    public static final int BG_E_USERNAME_TOO_LARGE = 0x80200025;
    public static final int BG_E_PASSWORD_TOO_LARGE = 0x80200026;
    public static final int BG_E_INVALID_AUTH_TARGET = 0x80200027;
    public static final int BG_E_INVALID_AUTH_SCHEME = 0x80200028;
    public static final int BG_E_VALIDATION_FAILED = 0x80200053;
    public static final int BG_E_REMOTE_FILE_CHANGED = 0x80200073;
    /** {@code HRESULT_FROM_WIN32(ERROR_WINHTTP_NAME_NOT_RESOLVED)}. */
    public static final int E_NAME_NOT_RESOLVED = 0x80072EE7;
    /** {@code HRESULT_FROM_WIN32(ERROR_WINHTTP_TIMEOUT)}. */
    public static final int E_TIMEOUT = 0x80072EE2;
    /** {@code HRESULT_FROM_WIN32(ERROR_WINHTTP_REDIRECT_FAILED)}: a redirect the policy refuses. */
    public static final int E_REDIRECT_FAILED = 0x80072F7C;
    /** {@code HRESULT_FROM_WIN32(ERROR_WINHTTP_SECURE_FAILURE)}. */
    public static final int E_SECURE_FAILURE = 0x80072F8F;
    /** {@code E_ACCESSDENIED}. */
    public static final int E_ACCESSDENIED = 0x80070005;
    /** {@code HRESULT_FROM_WIN32(ERROR_DISK_FULL)}. */
    public static final int E_DISK_FULL = 0x80070070;
    /** {@code HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)}: an SMB file that does not exist. */
    public static final int E_FILE_NOT_FOUND = 0x80070002;
    /** {@code HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND)}: an SMB directory that does not exist. */
    public static final int E_PATH_NOT_FOUND = 0x80070003;
    /** {@code HRESULT_FROM_WIN32(ERROR_BAD_NET_NAME)}: an SMB share that does not exist. */
    public static final int E_BAD_NET_NAME = 0x80070043;
    /** {@code HRESULT_FROM_WIN32(ERROR_LOGON_FAILURE)}: unknown user name or bad password. */
    public static final int E_LOGON_FAILURE = 0x8007052E;
    /** {@code E_INVALIDARG}. */
    public static final int E_INVALIDARG = 0x80070057;
    /** {@code E_FAIL}. */
    public static final int E_FAIL = 0x80004005;
    /** {@code E_NOTIMPL}. */
    public static final int E_NOTIMPL = 0x80004001;

    private static final int HTTP_BASE = 0x80190000;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(BG_E_NOT_FOUND, "BG_E_NOT_FOUND"),
            Map.entry(BG_E_INVALID_STATE, "BG_E_INVALID_STATE"),
            Map.entry(BG_E_EMPTY, "BG_E_EMPTY"),
            Map.entry(BG_E_MISSING_FILE_SIZE, "BG_E_MISSING_FILE_SIZE"),
            Map.entry(BG_E_INSUFFICIENT_RANGE_SUPPORT, "BG_E_INSUFFICIENT_RANGE_SUPPORT"),
            Map.entry(BG_E_INVALID_SERVER_RESPONSE, "BG_E_INVALID_SERVER_RESPONSE"),
            Map.entry(BG_E_TOO_MANY_FILES, "BG_E_TOO_MANY_FILES"),
            Map.entry(BG_E_LOCAL_FILE_CHANGED, "BG_E_LOCAL_FILE_CHANGED"),
            Map.entry(BG_E_SESSION_NOT_FOUND, "BG_E_SESSION_NOT_FOUND"),
            Map.entry(BG_E_TOO_LARGE, "BG_E_TOO_LARGE"),
            Map.entry(BG_E_STRING_TOO_LONG, "BG_E_STRING_TOO_LONG"),
            Map.entry(BG_E_CLIENT_SERVER_PROTOCOL_MISMATCH, "BG_E_CLIENT_SERVER_PROTOCOL_MISMATCH"),
            Map.entry(BG_E_NO_PROGRESS, "BG_E_NO_PROGRESS"),
            Map.entry(BG_E_FILE_NOT_FOUND, "BG_E_FILE_NOT_FOUND"),
            Map.entry(BG_E_CONNECT_FAILURE, "BG_E_CONNECT_FAILURE"),
            Map.entry(BG_E_CONNECTION_CLOSED, "BG_E_CONNECTION_CLOSED"),
            Map.entry(BG_E_INVALID_PROXY_INFO, "BG_E_INVALID_PROXY_INFO"),
            Map.entry(BG_E_INVALID_CREDENTIALS, "BG_E_INVALID_CREDENTIALS"),
            Map.entry(BG_E_USERNAME_TOO_LARGE, "BG_E_USERNAME_TOO_LARGE"),
            Map.entry(BG_E_PASSWORD_TOO_LARGE, "BG_E_PASSWORD_TOO_LARGE"),
            Map.entry(BG_E_INVALID_AUTH_TARGET, "BG_E_INVALID_AUTH_TARGET"),
            Map.entry(BG_E_INVALID_AUTH_SCHEME, "BG_E_INVALID_AUTH_SCHEME"),
            Map.entry(E_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND"),
            Map.entry(E_PATH_NOT_FOUND, "ERROR_PATH_NOT_FOUND"),
            Map.entry(E_BAD_NET_NAME, "ERROR_BAD_NET_NAME"),
            Map.entry(E_LOGON_FAILURE, "ERROR_LOGON_FAILURE"),
            Map.entry(BG_E_VALIDATION_FAILED, "BG_E_VALIDATION_FAILED"),
            Map.entry(BG_E_REMOTE_FILE_CHANGED, "BG_E_REMOTE_FILE_CHANGED"),
            Map.entry(E_NAME_NOT_RESOLVED, "ERROR_WINHTTP_NAME_NOT_RESOLVED"),
            Map.entry(E_TIMEOUT, "ERROR_WINHTTP_TIMEOUT"),
            Map.entry(E_REDIRECT_FAILED, "ERROR_WINHTTP_REDIRECT_FAILED"),
            Map.entry(E_SECURE_FAILURE, "ERROR_WINHTTP_SECURE_FAILURE"),
            Map.entry(E_ACCESSDENIED, "E_ACCESSDENIED"),
            Map.entry(E_DISK_FULL, "ERROR_DISK_FULL"),
            Map.entry(E_INVALIDARG, "E_INVALIDARG"),
            Map.entry(E_FAIL, "E_FAIL"),
            Map.entry(E_NOTIMPL, "E_NOTIMPL"));

    private BitsCodes() {
    }

    /** The code BITS reports for an HTTP status: {@code 0x80190000 + status} (404 → 0x80190194). */
    public static int forHttpStatus(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        return HTTP_BASE + status;
    }

    /** The HTTP status inside a code made by {@link #forHttpStatus}, or -1. */
    public static int httpStatusOf(int code) {
        int status = code - HTTP_BASE;
        return status >= 100 && status <= 999 ? status : -1;
    }

    /** The code as BITS tools print it: {@code 0x80190194}. */
    public static String hex(int code) {
        // as String.format("0x%08X", code), without a Formatter: a refused command's start-up loads none
        String digits = Integer.toHexString(code).toUpperCase(java.util.Locale.ROOT);
        return "0x" + "0".repeat(8 - digits.length()) + digits;
    }

    /** Reads a code written by {@link #hex} (or plain decimal). */
    public static int parse(String text) {
        String t = text.trim();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            return (int) Long.parseLong(t.substring(2), 16);
        }
        return (int) Long.parseLong(t);
    }

    /** The symbolic name of a code ({@code BG_E_NOT_FOUND}, {@code HTTP_404}), or its hex form. */
    public static String name(int code) {
        String n = NAMES.get(code);
        if (n != null) {
            return n;
        }
        int status = httpStatusOf(code);
        return status > 0 ? "HTTP_" + status : hex(code);
    }
}
