package io.jbits.store.sqlite;

import io.jbits.spi.FileRow;
import io.jbits.spi.JobRow;
import io.jbits.spi.JobStore;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Recovery of a state database the store refuses: the file (with its {@code -wal} and {@code -shm}) is renamed to
 * {@code jobs.db.broken-<time>} and never written again; a copy of it is read row by row, and every job row and
 * file row that still reads back as a valid row goes into a new, healthy database under the old name.
 *
 * <p>Why row by row, keyed by rowid: a damaged page makes a whole-table scan fail at that page. Restarting the scan
 * just past the last rowid read, and further on each time it fails again, reads the rows of the pages that are still
 * intact. The number of restarts is bounded, so a file of garbage costs milliseconds.
 */
final class Salvage {
    private static final int MAX_RESTARTS = 2_000;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final List<String> SIDECARS = List.of("-wal", "-shm");

    private int unreadableRegions;
    private int rowsLost;

    private Salvage() {
    }

    /** See {@link SqliteJobStore#recover}. */
    static StoreRecovery recover(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new StoreRecovery(null, "no database", 0, 0, 0);
        }
        String finding = damage(file);
        if (finding == null) {
            return new StoreRecovery(null, "healthy", 0, 0, 0);
        }
        Path kept = moveAside(file);
        Salvage salvage = new Salvage();
        List<JobRow> jobs = new ArrayList<>();
        List<FileRow> files = new ArrayList<>();
        String verdict = salvage.read(kept, jobs, files);
        try (SqliteJobStore fresh = SqliteJobStore.open(file)) {
            fresh.write(new JobStore.Batch(jobs, files, List.of()));
        }
        String found = oneLine(finding) + (verdict == null ? "" : "; " + verdict)
                + (salvage.unreadableRegions == 0 ? "" : "; " + salvage.unreadableRegions + " unreadable region(s)");
        return new StoreRecovery(kept, found, jobs.size(), files.size(), salvage.rowsLost);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Null when the store opens and loads; else what is wrong with it. Other failures (rights, newer schema) throw. */
    private static String damage(Path file) throws IOException {
        SqliteJobStore store;
        try {
            store = SqliteJobStore.open(file);
        } catch (DamagedStoreException e) {
            return e.getCause() == null ? "not our tables" : e.getCause().getMessage();
        }
        try (store) {
            store.loadAll();
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** Renames the file and its sidecars to {@code NAME.broken-<time>[-n]}; the old name is then free. */
    private static Path moveAside(Path file) throws IOException {
        String base = file.getFileName() + ".broken-" + LocalDateTime.now().format(STAMP);
        for (int n = 0; ; n++) {
            Path kept = file.resolveSibling(n == 0 ? base : base + "-" + n);
            if (Files.exists(kept)) {
                continue;
            }
            try {
                Files.move(file, kept, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            for (String suffix : SIDECARS) {
                Path sidecar = file.resolveSibling(file.getFileName() + suffix);
                if (Files.exists(sidecar)) {
                    Files.move(sidecar, kept.resolveSibling(kept.getFileName() + suffix),
                            StandardCopyOption.ATOMIC_MOVE);
                }
            }
            return kept;
        }
    }

    /**
     * Reads the rows of a copy of {@code kept} (SQLite writes even to read a WAL database, and the kept file must
     * stay as it was). Returns why nothing could be read, or null.
     */
    private String read(Path kept, List<JobRow> jobs, List<FileRow> files) throws IOException {
        Path work = Files.createTempDirectory(kept.getParent(), ".salvage-");
        try {
            Path copy = work.resolve("copy.db");
            Files.copy(kept, copy);
            Path wal = kept.resolveSibling(kept.getFileName() + "-wal");
            if (Files.exists(wal)) {
                Files.copy(wal, work.resolve("copy.db-wal"));
            }
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + copy)) {
                try (Statement statement = connection.createStatement()) {
                    // Without it SQLite refuses a file shorter than its header says (a truncated database) outright;
                    // with it, it reads the pages that are there. Nothing is written to this copy.
                    statement.execute("PRAGMA writable_schema = ON");
                }
                String notOurs = notOurs(connection);
                if (notOurs != null) {
                    return notOurs;
                }
                scan(connection, "jobs", row -> jobs.add(plausible(readJob(row))));
                Set<String> ids = new HashSet<>();
                jobs.forEach(j -> ids.add(j.id()));
                scan(connection, "files", row -> {
                    FileRow f = plausible(Rows.readFile(row));
                    if (!ids.contains(f.jobId())) {
                        throw new IllegalArgumentException("file of a job that was not salvaged");
                    }
                    files.add(f);
                });
                return null;
            } catch (SQLException e) {
                return "nothing readable";
            }
        } finally {
            Os.deleteTree(work);
        }
    }

    /** A job row of either schema version, as the current one keeps it. */
    private static JobRow readJob(ResultSet row) throws SQLException {
        boolean current = Rows.hasColumn(row, "event_seq");
        JobRow job = Rows.readJob(row, current);
        return current ? job : Migrations.fromVersion1(job);
    }

    /**
     * A row read from a damaged page can parse and still be garbage: a page cut short by truncation reads as zeros.
     * Text with a NUL, or a path that is not absolute, is not something jbits ever wrote.
     */
    private static JobRow plausible(JobRow j) {
        requireText(j.id(), j.name(), j.description(), j.owner(), j.options(),
                j.error() == null ? null : j.error().message());
        if (j.id().isEmpty()) {
            throw new IllegalArgumentException("empty job id");
        }
        return j;
    }

    private static FileRow plausible(FileRow f) {
        requireText(f.jobId(), f.remoteUrl(), f.localPath(), f.tempPath(), f.etag(), f.lastModified(),
                f.transportState());
        for (String path : new String[] {f.localPath(), f.tempPath()}) {
            if (path != null && !path.isEmpty() && !Path.of(path).isAbsolute()) {
                throw new IllegalArgumentException("relative path " + path);
            }
        }
        if (f.index() < 0 || f.bytesTransferred() < 0) {
            throw new IllegalArgumentException("negative index or count");
        }
        return f;
    }

    private static void requireText(String... texts) {
        for (String t : texts) {
            if (t != null && t.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("NUL in a text column");
            }
        }
    }

    /** Null when the file carries our application id and tables; else what it is. */
    private static String notOurs(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            int applicationId;
            try (ResultSet rows = statement.executeQuery("PRAGMA application_id")) {
                applicationId = rows.next() ? rows.getInt(1) : 0;
            }
            if (applicationId != Schema.APPLICATION_ID) {
                return "not a jbits database (application id 0x" + Integer.toHexString(applicationId)
                        + "): nothing to salvage";
            }
        }
        return null;
    }

    /** Reads every readable row of {@code table} in rowid order, skipping ahead past regions that fail. */
    private void scan(Connection connection, String table, RowSink sink) {
        String sql = "SELECT *, rowid AS salvage_rowid FROM " + table + " WHERE rowid > ? ORDER BY rowid";
        long last = Long.MIN_VALUE;
        long skip = 1;
        for (int restarts = 0; restarts < MAX_RESTARTS; restarts++) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setLong(1, last);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        last = rows.getLong("salvage_rowid");
                        skip = 1;
                        try {
                            sink.accept(rows);
                        } catch (SQLException | RuntimeException e) {
                            rowsLost++;
                        }
                    }
                }
                return;
            } catch (SQLException e) {
                if (skip == 1) {
                    unreadableRegions++;
                }
                if (last == Long.MIN_VALUE) {
                    last = 0;
                }
                if (last > Long.MAX_VALUE - skip) {
                    return;
                }
                last += skip;
                skip = Math.min(skip * 2, 1L << 40);
            }
        }
    }

    /** Takes one row of a result set. */
    @FunctionalInterface
    private interface RowSink {
        void accept(ResultSet row) throws SQLException;
    }

    /** File helpers without a dependency. */
    private static final class Os {
        private Os() {
        }

        static void deleteTree(Path root) throws IOException {
            try (var paths = Files.walk(root)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
