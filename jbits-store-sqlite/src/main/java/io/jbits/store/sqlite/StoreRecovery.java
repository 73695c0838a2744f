package io.jbits.store.sqlite;

import java.nio.file.Path;

/**
 * What {@link SqliteJobStore#recover} did with a state database.
 *
 * @param keptAs where the old file now lives, untouched (its {@code -wal} and {@code -shm} beside it); null when
 *     nothing was moved because the database was healthy or absent
 * @param finding what was wrong, in a few words ("healthy", "no database", "not a jbits database", the SQLite error)
 * @param jobsSalvaged jobs read back from the old file into the new one
 * @param filesSalvaged their files
 * @param rowsLost rows that could not be read, or whose job could not be read (zero does not prove nothing was
 *     lost: a damaged page can hide rows that are never seen)
 */
public record StoreRecovery(Path keptAs, String finding, int jobsSalvaged, int filesSalvaged, int rowsLost) {

    /** True when the old file was moved aside. */
    public boolean movedAside() {
        return keptAs != null;
    }
}
