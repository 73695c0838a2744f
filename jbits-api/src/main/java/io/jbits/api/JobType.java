package io.jbits.api;

import java.util.Locale;

/** The type of a job, as BITS's {@code BG_JOB_TYPE}. */
public enum JobType {
    /** One or more files from remote to local. */
    DOWNLOAD,
    /** Exactly one local file to a BITS upload server. */
    UPLOAD,
    /** One local file up, and the server application's reply down. */
    UPLOAD_REPLY;

    /** The lower-case name used on the command line and in JSON ("upload-reply"). */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Reads a type name in any case, with '-' or '_'. */
    public static JobType parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(
                    "unknown job type '" + text + "' (expected download, upload or upload-reply)");
        }
    }
}
