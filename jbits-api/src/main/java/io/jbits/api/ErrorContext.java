package io.jbits.api;

/** Where an error happened, as BITS's {@code BG_ERROR_CONTEXT}. */
public enum ErrorContext {
    NONE, UNKNOWN, GENERAL_QUEUE_MANAGER, QUEUE_MANAGER_NOTIFICATION, LOCAL_FILE, REMOTE_FILE, GENERAL_TRANSPORT,
    REMOTE_APPLICATION;

    /** The numeric value BITS gives this context. */
    public int value() {
        return ordinal();
    }
}
