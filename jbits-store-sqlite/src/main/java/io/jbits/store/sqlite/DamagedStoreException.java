package io.jbits.store.sqlite;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The state database cannot be used as it is: it is damaged, or it is not a jbits database at all. Nothing was
 * changed in it; {@link SqliteJobStore#recover} moves it aside (keeping it) and salvages what it can.
 */
public final class DamagedStoreException extends IOException {
    private final transient Path file;

    DamagedStoreException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The database file that was refused. */
    public Path file() {
        return file;
    }
}
