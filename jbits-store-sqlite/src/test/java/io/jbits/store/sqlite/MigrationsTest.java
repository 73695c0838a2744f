package io.jbits.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.JobError;
import io.jbits.spi.FileRow;
import io.jbits.spi.JobRow;
import io.jbits.spi.JobStore.StoredJob;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/** A database written by the jbits of schema version 1 opens with every job and event number it held. */
class MigrationsTest {

    /** The tables as schema version 1 created them, word for word. */
    private static final String VERSION_1_JOBS = """
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
                options               TEXT    NOT NULL
            )""";
    private static final String VERSION_1_FILES = """
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

    private static final String VERSION_1_INSERT_JOB = """
            INSERT INTO jobs (id, name, description, type, priority, owner, state, created, modified,
                              transfer_completed, min_retry_delay_ms, no_progress_timeout_ms, error_count,
                              error_code, error_context, error_message, error_http_status, error_file_index,
                              error_transient, options)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    @TempDir
    Path temp;

    /** Binds a job's columns as the version 1 store did, with {@code options} as its options text. */
    private static void bindVersion1(PreparedStatement s, JobRow j, String options) throws SQLException {
        s.setString(1, j.id());
        s.setString(2, j.name());
        s.setString(3, j.description());
        s.setString(4, j.type().name());
        s.setString(5, j.priority().name());
        s.setString(6, j.owner());
        s.setString(7, j.state().name());
        s.setObject(8, j.created() == null ? null : j.created().toEpochMilli());
        s.setObject(9, j.modified() == null ? null : j.modified().toEpochMilli());
        s.setObject(10, j.transferCompleted() == null ? null : j.transferCompleted().toEpochMilli());
        s.setObject(11, j.minRetryDelay().toMillis());
        s.setObject(12, j.noProgressTimeout().toMillis());
        s.setInt(13, j.errorCount());
        JobError e = j.error();
        s.setObject(14, e == null ? null : (long) e.code());
        s.setString(15, e == null ? null : e.context().name());
        s.setString(16, e == null ? null : e.message());
        s.setObject(17, e == null ? null : e.httpStatus());
        s.setObject(18, e == null ? null : e.fileIndex());
        s.setObject(19, e == null ? null : e.transientError() ? 1 : 0);
        s.setString(20, options);
    }

    /** Writes {@code jobs} and {@code files} as the version 1 store wrote them: the event numbers in the options. */
    private Path version1Database(List<JobRow> jobs, List<String> optionsText, List<FileRow> files)
            throws SQLException {
        Path file = temp.resolve("jobs.db");
        try (Connection c = new SQLiteConfig().createConnection("jdbc:sqlite:" + file);
             Statement statement = c.createStatement()) {
            statement.executeUpdate(VERSION_1_JOBS);
            statement.executeUpdate(VERSION_1_FILES);
            statement.executeUpdate("PRAGMA application_id = " + Schema.APPLICATION_ID);
            statement.executeUpdate("PRAGMA user_version = 1");
            try (var job = c.prepareStatement(VERSION_1_INSERT_JOB);
                 var fileRow = c.prepareStatement(Rows.UPSERT_FILE)) {
                for (int i = 0; i < jobs.size(); i++) {
                    bindVersion1(job, jobs.get(i), optionsText.get(i));
                    job.executeUpdate();
                }
                for (FileRow f : files) {
                    Rows.bindFile(fileRow, f);
                    fileRow.executeUpdate();
                }
            }
        }
        return file;
    }

    private static JobRow withEventSeq(JobRow j, String options, long eventSeq) {
        return new JobRow(j.id(), j.name(), j.description(), j.type(), j.priority(), j.owner(), j.state(),
                j.created(), j.modified(), j.transferCompleted(), j.minRetryDelay(), j.noProgressTimeout(),
                j.errorCount(), j.error(), options, eventSeq);
    }

    private static int userVersion(Path file) throws SQLException {
        try (Connection c = new SQLiteConfig().createConnection("jdbc:sqlite:" + file);
             Statement statement = c.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA user_version")) {
            return rows.getInt(1);
        }
    }

    @Test
    void aVersion1DatabaseKeepsItsJobsAndEventNumbersWhichMoveOutOfTheOptions() throws Exception {
        JobRow counted = StoreRows.job("counted");
        JobRow failed = StoreRows.failedJob("failed");
        JobRow fresh = StoreRows.job("fresh");
        FileRow file = StoreRows.file("counted", 0);
        Path db = version1Database(List.of(counted, failed, fresh),
                List.of("{\"rate.max\":5000,\"event.seq\":4096}", "{\"event.seq\":1024,\"proxy\":\"none\"}", "{}"),
                List.of(file));

        try (SqliteJobStore store = SqliteJobStore.open(db)) {
            // loadAll orders by creation: the failed job was created a second after the others
            assertEquals(List.of(new StoredJob(withEventSeq(counted, "{\"rate.max\":5000}", 4096), List.of(file)),
                    new StoredJob(withEventSeq(fresh, "{}", 0), List.of()),
                    new StoredJob(withEventSeq(failed, "{\"proxy\":\"none\"}", 1024), List.of())),
                    store.loadAll());
        }
        assertEquals(Schema.CURRENT_VERSION, userVersion(db));

        try (SqliteJobStore again = SqliteJobStore.open(db)) {
            again.write(StoreRows.upsert(List.of(withEventSeq(fresh, "{}", 2048)), List.of()));
            assertEquals(4096, again.loadAll().getFirst().job().eventSeq(), "a second open changes nothing");
            assertEquals(2048, again.loadAll().get(1).job().eventSeq());
        }
    }

    @Test
    void rowsSalvagedFromADamagedVersion1DatabaseKeepTheirEventNumbersInTheirColumn() throws Exception {
        List<JobRow> jobs = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            jobs.add(StoreRows.job("job-" + i));
            options.add("{\"event.seq\":" + (1024 + i) + ",\"rate.max\":4096}");
        }
        Path db = version1Database(jobs, options, List.of());
        try (FileChannel channel = FileChannel.open(db, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(db) / 2);
        }

        StoreRecovery recovery = SqliteJobStore.recover(db);

        assertTrue(recovery.jobsSalvaged() > 0, recovery.toString());
        try (SqliteJobStore store = SqliteJobStore.open(db)) {
            List<StoredJob> salvaged = store.loadAll();
            assertEquals(recovery.jobsSalvaged(), salvaged.size());
            for (StoredJob s : salvaged) {
                int i = Integer.parseInt(s.job().id().substring("job-".length()));
                assertEquals(withEventSeq(jobs.get(i), "{\"rate.max\":4096}", 1024 + i), s.job());
            }
        }
    }

    @Test
    void aProcessKilledInTheMiddleOfAMigrationLeavesTheOldVersionWhichTheNextStartMigrates() throws Exception {
        JobRow counted = StoreRows.job("counted");
        FileRow file = StoreRows.file("counted", 0);
        Path db = version1Database(List.of(counted), List.of("{\"rate.max\":5000,\"event.seq\":4096}"),
                List.of(file));

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                KilledMigration.class.getName(), db.toString()).redirectErrorStream(true)
                .redirectOutput(temp.resolve("child.log").toFile()).start();
        assertTrue(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the migrating process ends");
        assertEquals(KilledMigration.HALT_STATUS, child.exitValue(),
                "killed between the migration's statements: " + Files.readString(temp.resolve("child.log")));

        assertEquals(1, userVersion(db), "the killed migration left schema version 1");
        try (Connection c = new SQLiteConfig().createConnection("jdbc:sqlite:" + db);
             Statement statement = c.createStatement();
             ResultSet columns = statement.executeQuery("SELECT count(*) FROM pragma_table_info('jobs') "
                     + "WHERE name = 'event_seq'");
             Statement again = c.createStatement();
             ResultSet options = again.executeQuery("SELECT options FROM jobs")) {
            assertEquals(0, columns.getInt(1), "the column added before the kill is gone");
            assertEquals("{\"rate.max\":5000,\"event.seq\":4096}", options.getString(1), "options as they were");
        }

        try (SqliteJobStore store = SqliteJobStore.open(db)) {
            assertEquals(List.of(new StoredJob(withEventSeq(counted, "{\"rate.max\":5000}", 4096), List.of(file))),
                    store.loadAll(), "the next start migrates every row");
        }
        assertEquals(Schema.CURRENT_VERSION, userVersion(db));
    }

    @Test
    void aDatabaseOfANewerJbitsIsRefusedNamingBothVersionsAndLeftAsItWas() throws Exception {
        Path db = temp.resolve("newer.db");
        try (SqliteJobStore store = SqliteJobStore.open(db)) {
            store.write(StoreRows.upsert(List.of(StoreRows.job("kept")), List.of(StoreRows.file("kept", 0))));
        }
        int newer = Schema.CURRENT_VERSION + 1;
        try (Connection c = new SQLiteConfig().createConnection("jdbc:sqlite:" + db);
             Statement statement = c.createStatement()) {
            statement.executeUpdate("PRAGMA user_version = " + newer);
        }
        byte[] before = Files.readAllBytes(db);
        List<String> filesBefore = fileNames();

        IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> SqliteJobStore.open(db));

        assertTrue(refused.getMessage().contains("schema version " + newer)
                        && refused.getMessage().contains("reads up to " + Schema.CURRENT_VERSION),
                "names both versions: " + refused.getMessage());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(db)), "the database's bytes are unchanged");
        assertEquals(filesBefore, fileNames(), "no file was added or removed");
        assertEquals(newer, userVersion(db));
    }

    private List<String> fileNames() throws IOException {
        try (var files = Files.list(temp)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theEventNumbersOfANewDatabaseSurviveARoundTrip() throws IOException {
        try (SqliteJobStore store = SqliteJobStore.open(temp.resolve("new.db"))) {
            JobRow row = withEventSeq(StoreRows.job("a"), "{\"rate.max\":65536}", 9216);
            store.write(StoreRows.upsert(List.of(row), List.of()));
            assertEquals(List.of(new StoredJob(row, List.of())), store.loadAll());
        }
    }
}
