package io.jbits.store.sqlite;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * The tables of a jbits state database, and how an opened file is recognised, created or migrated.
 *
 * <p>A jbits database carries {@link #APPLICATION_ID} in its header ({@code PRAGMA application_id}) and its schema
 * version in {@code PRAGMA user_version}. A file with neither and no tables is new and gets the current schema; a
 * file with another application id, or without our tables, is someone else's and is left untouched.
 *
 * <p>Versions: 1, the first; 2 gives a job's reserved event numbers a column of their own ({@code event_seq}),
 * which version 1 kept as an option inside the job's options text ({@link Migrations}).
 */
final class Schema {

    /** "jbit" in ASCII: marks the file as ours for {@code file(1)} and for us. */
    static final int APPLICATION_ID = 0x6A626974;

    /** The schema this code reads and writes; each version after 1 adds a step to {@link Migrations}. */
    static final int CURRENT_VERSION = 2;

    private static final String CREATE_JOBS = """
            CREATE TABLE jobs (
                id                    TEXT    NOT NULL PRIMARY KEY,
                name                  TEXT,
                description           TEXT,
                type                  TEXT,
                priority              TEXT,
                owner                 TEXT,
                state                 TEXT    NOT NULL,
                created               INTEGER,
                modified              INTEGER,
                transfer_completed    INTEGER,
                min_retry_delay_ms    INTEGER,
                no_progress_timeout_ms INTEGER,
                error_count           INTEGER NOT NULL,
                error_code            INTEGER,
                error_context         TEXT,
                error_message         TEXT,
                error_http_status     INTEGER,
                error_file_index      INTEGER,
                error_transient       INTEGER,
                options               TEXT    NOT NULL,
                event_seq             INTEGER NOT NULL DEFAULT 0
            )""";

    private static final String CREATE_FILES = """
            CREATE TABLE files (
                job_id            TEXT    NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                idx               INTEGER NOT NULL,
                remote_url        TEXT    NOT NULL,
                local_path        TEXT    NOT NULL,
                temp_path         TEXT,
                bytes_total       INTEGER NOT NULL,
                bytes_transferred INTEGER NOT NULL,
                completed         INTEGER NOT NULL,
                etag              TEXT,
                last_modified     TEXT,
                transport_state   TEXT    NOT NULL,
                PRIMARY KEY (job_id, idx)
            )""";

    private Schema() {
    }

    /**
     * Checks that the open database is a healthy jbits database, creating the schema in a new one. Runs before the
     * journal mode is changed, so a foreign database is never modified.
     */
    static Status inspect(Connection connection, Path file) throws SQLException, IOException {
        int applicationId = pragmaInt(connection, "application_id");
        int version = pragmaInt(connection, "user_version");
        Set<String> tables = tableNames(connection);
        if (applicationId == 0 && version == 0 && tables.isEmpty()) {
            return Status.EMPTY;
        }
        if (applicationId != APPLICATION_ID || !tables.contains("jobs") || !tables.contains("files")) {
            throw notOurs(file, null);
        }
        if (version > CURRENT_VERSION) {
            throw new IOException(file + " was written by a newer jbits (schema version " + version
                    + "; this jbits reads up to " + CURRENT_VERSION + ")");
        }
        String check = quickCheck(connection);
        if (!"ok".equals(check)) {
            throw notOurs(file, new IOException("quick_check: " + check));
        }
        return version == CURRENT_VERSION ? Status.CURRENT : Status.OLDER;
    }

    /** Creates the tables and stamps the header, in one transaction. */
    static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("BEGIN IMMEDIATE");
            try {
                statement.executeUpdate(CREATE_JOBS);
                statement.executeUpdate(CREATE_FILES);
                statement.executeUpdate("PRAGMA application_id = " + APPLICATION_ID);
                statement.executeUpdate("PRAGMA user_version = " + CURRENT_VERSION);
                statement.executeUpdate("COMMIT");
            } catch (SQLException e) {
                statement.executeUpdate("ROLLBACK");
                throw e;
            }
        }
    }

    /** The error for a file that is not ours or is damaged; the message says that it was left as it was. */
    static DamagedStoreException notOurs(Path file, Throwable cause) {
        return new DamagedStoreException(file, file + " is not a jbits state database, or is damaged ("
                + (cause == null ? "not our tables" : cause.getMessage()) + "); nothing was changed in it", cause);
    }

    static int pragmaInt(Connection connection, String pragma) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA " + pragma)) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    private static Set<String> tableNames(Connection connection) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static String quickCheck(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA quick_check(1)")) {
            return rows.next() ? rows.getString(1) : "no answer";
        }
    }

    /** What {@link #inspect} found. */
    enum Status {
        /** A new, empty file: create the schema. */
        EMPTY,
        /** Ours, at an older schema version: migrate. */
        OLDER,
        /** Ours, current. */
        CURRENT
    }
}
