package io.jbits.store.sqlite;

import io.jbits.spi.JobOptions;
import io.jbits.spi.JobRow;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps that bring a state database of an older schema version to {@link Schema#CURRENT_VERSION}, so that a
 * database written by an older jbits opens with every job, file and event number it held.
 *
 * <p>Version 1 to 2: a job's reserved event numbers move from the option {@value #VERSION_1_EVENT_SEQ_OPTION} of its
 * options text into the column {@code event_seq}, where the store keeps them apart from the owner's options.
 */
final class Migrations {
    /** Where schema version 1 kept the end of a job's reserved event numbers: an option of its options text. */
    static final String VERSION_1_EVENT_SEQ_OPTION = "event.seq";

    /**
     * Runs between a migration's statements, inside its transaction: nothing in the product; a test replaces it
     * to kill the process there, as a crash or a power cut in the middle of an upgrade would.
     */
    static volatile Runnable betweenStatements = () -> { };

    private Migrations() {
    }

    /**
     * Brings an older schema to {@link Schema#CURRENT_VERSION} in one transaction: a failure leaves the file as it was.
     *
     * @throws IOException for a version no jbits wrote
     */
    static void run(Connection connection, Path file) throws SQLException, IOException {
        int version = Schema.pragmaInt(connection, "user_version");
        if (version != 1) {
            throw new IOException(file + " has an unknown old schema version (" + version
                    + "); move it aside to start empty");
        }
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("BEGIN IMMEDIATE");
            try {
                statement.executeUpdate("ALTER TABLE jobs ADD COLUMN event_seq INTEGER NOT NULL DEFAULT 0");
                betweenStatements.run();
                moveEventSeqToColumn(connection);
                statement.executeUpdate("PRAGMA user_version = " + Schema.CURRENT_VERSION);
                statement.executeUpdate("COMMIT");
            } catch (SQLException | RuntimeException e) {
                statement.executeUpdate("ROLLBACK");
                throw e;
            }
        }
    }

    /** Version 1 to 2: each job's {@value #VERSION_1_EVENT_SEQ_OPTION} option moves into its {@code event_seq}. */
    private static void moveEventSeqToColumn(Connection connection) throws SQLException {
        // Read first, then write: SQLite leaves undefined what a scan sees of rows changed under it.
        List<String[]> found = new ArrayList<>();
        try (Statement select = connection.createStatement();
             ResultSet rows = select.executeQuery("SELECT id, options FROM jobs WHERE instr(options, '\""
                     + VERSION_1_EVENT_SEQ_OPTION + "\"') > 0")) {
            while (rows.next()) {
                found.add(new String[] {rows.getString("id"), rows.getString("options")});
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE jobs SET options = ?, event_seq = ? WHERE id = ?")) {
            for (String[] job : found) {
                JobOptions parsed;
                try {
                    parsed = JobOptions.parse(job[1]);
                } catch (IllegalArgumentException unreadable) {
                    continue; // the engine refuses such a row when it loads it, migrated or not
                }
                update.setString(1, parsed.with(VERSION_1_EVENT_SEQ_OPTION, null).toJson());
                update.setLong(2, parsed.number(VERSION_1_EVENT_SEQ_OPTION, 0));
                update.setString(3, job[0]);
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /** A job row read from a version 1 database, as version 2 keeps it (for rows salvaged from such a file). */
    static JobRow fromVersion1(JobRow row) {
        JobOptions parsed;
        try {
            parsed = JobOptions.parse(row.options());
        } catch (IllegalArgumentException unreadable) {
            return row;
        }
        if (!parsed.has(VERSION_1_EVENT_SEQ_OPTION)) {
            return row;
        }
        return new JobRow(row.id(), row.name(), row.description(), row.type(), row.priority(), row.owner(),
                row.state(), row.created(), row.modified(), row.transferCompleted(), row.minRetryDelay(),
                row.noProgressTimeout(), row.errorCount(), row.error(),
                parsed.with(VERSION_1_EVENT_SEQ_OPTION, null).toJson(), parsed.number(VERSION_1_EVENT_SEQ_OPTION, 0));
    }

}
