package io.jbits.store.sqlite;

import io.jbits.spi.FileRow;
import io.jbits.spi.JobRow;
import io.jbits.spi.JobStore;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.sqlite.SQLiteConfig;

/**
 * A {@link JobStore} in one SQLite file, in WAL mode with {@code synchronous=FULL}: every {@link #write} is on disk
 * when it returns, and a crash at any moment leaves either the whole batch or none of it.
 *
 * <p>One JDBC connection serves every caller, one call at a time under a lock. The file is created with mode 0600
 * in a directory created with mode 0700, because job names, URLs and paths are the owner's business.
 *
 * <p>Instants and durations are kept to the millisecond.
 */
public final class SqliteJobStore implements JobStore {

    /** How long a call waits for a lock held by another process (for example the {@code sqlite3} shell). */
    private static final int BUSY_TIMEOUT_MILLIS = 5_000;
    /** From this many jobs on, {@link #loadMapped} reads on two threads. */
    private static final int PARALLEL_LOAD_JOBS = 10_000;

    /** SQLite's primary result codes for a damaged file and for a file that is no database at all. */
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_NOTADB = 26;

    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();
    private final Connection connection;
    private final PreparedStatement upsertJob;
    private final PreparedStatement upsertFile;
    private final PreparedStatement deleteJob;
    private boolean closed;

    private SqliteJobStore(Path file, Connection connection) throws SQLException {
        this.file = file;
        this.connection = connection;
        this.upsertJob = connection.prepareStatement(Rows.UPSERT_JOB);
        this.upsertFile = connection.prepareStatement(Rows.UPSERT_FILE);
        this.deleteJob = connection.prepareStatement(Rows.DELETE_JOB);
    }

    /**
     * Opens the store in {@code dbFile}, creating the file (and its directory) when missing.
     *
     * @throws IOException when the file cannot be created or opened, is not a jbits database, is corrupt, or was
     *     written by a newer jbits; the message names the file
     */
    public static SqliteJobStore open(Path dbFile) throws IOException {
        Path file = dbFile.toAbsolutePath().normalize();
        createOwnerOnly(file);
        Connection connection = null;
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
            config.enforceForeignKeys(true);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            connection = config.createConnection("jdbc:sqlite:" + file);
            prepare(connection, file);
            restrictSidecars(file);
            connection.setAutoCommit(false);
            return new SqliteJobStore(file, connection);
        } catch (SQLException e) {
            closeQuietly(connection, e);
            throw openFailure(file, e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(connection, e);
            throw e;
        }
    }

    /**
     * Has SQLite's native library loaded from a copy kept in {@code dir} (made there once) instead of a new copy in
     * the temporary directory at every start, which a killed process leaves behind. Call it before the first store
     * is opened; it does nothing when {@code org.sqlite.lib.path} is set, and a failure only means the usual way.
     */
    public static void keepNativeLibraryIn(Path dir) {
        NativeLibrary.useCopyIn(dir);
    }

    /**
     * Recovers a state database that {@link #open} refuses as damaged or foreign: renames it (with its {@code -wal}
     * and {@code -shm}) to {@code NAME.broken-<time>}, never changing its bytes, and creates a new database under
     * the old name holding every job and file row that can still be read from it. A healthy or missing database is
     * left alone. No other process may have the database open (the service must be stopped).
     *
     * @throws IOException when the file cannot be moved or the new one written, or for a failure that is not damage
     *     (no rights to the file, a database written by a newer jbits); then the file is where it was
     */
    public static StoreRecovery recover(Path dbFile) throws IOException {
        return Salvage.recover(dbFile.toAbsolutePath().normalize());
    }

    /** Checks or creates the schema, then switches to WAL; the journal mode is only changed in our own files. */
    private static void prepare(Connection connection, Path file) throws SQLException, IOException {
        Schema.Status status = Schema.inspect(connection, file);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode = WAL");
        }
        switch (status) {
            case EMPTY -> Schema.create(connection);
            case OLDER -> Migrations.run(connection, file);
            case CURRENT -> { }
        }
    }

    @Override
    public List<StoredJob> loadAll() throws IOException {
        List<StoredJob> stored = new ArrayList<>();
        loadEach(stored::add);
        stored.sort(Comparator.comparing((StoredJob s) -> s.job().created(),
                Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(s -> s.job().id()));
        return stored;
    }

    /** One query, one read transaction; each job is handed over as soon as its last file row has been read. */
    @Override
    public void loadEach(Consumer<StoredJob> each) throws IOException {
        Objects.requireNonNull(each, "each");
        lock.lock();
        try {
            ensureOpen();
            try {
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery(Rows.SELECT_JOBS_WITH_FILES)) {
                    readJobs(rows, each);
                }
                connection.commit();
            } catch (SQLException | IllegalArgumentException e) {
                rollbackQuietly(e);
                throw readFailure(e);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A queue of {@value #PARALLEL_LOAD_JOBS} jobs or more is read in two halves at once, the second by a thread of
     * its own on a second connection, each half made into the caller's objects on its thread: reading rows and
     * making objects is most of a service's start, and it halves on two cores. No other connection writes while
     * this runs (the service holds its state directory's lock), so both halves see the same jobs.
     */
    @Override
    public <T> List<T> loadMapped(Function<StoredJob, T> make) throws IOException {
        Objects.requireNonNull(make, "make");
        lock.lock();
        try {
            ensureOpen();
            try {
                long[] range = rowidRange();
                if (range[1] - range[0] < PARALLEL_LOAD_JOBS) {
                    return readMapped(connection, range[0], range[1], make);
                }
                long split = range[0] + (range[1] - range[0]) / 2;
                try (Connection second = readerConnection()) {
                    CompletableFuture<List<T>> later = new CompletableFuture<>();
                    Thread.ofPlatform().name("jbits-store-load").daemon().start(() -> {
                        try {
                            later.complete(readMapped(second, split + 1, range[1], make));
                        } catch (Throwable t) {
                            later.completeExceptionally(t);
                        }
                    });
                    List<T> made = readMapped(connection, range[0], split, make);
                    made.addAll(joinLoad(later));
                    return made;
                }
            } catch (SQLException | IllegalArgumentException e) {
                rollbackQuietly(e);
                throw readFailure(e);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The smallest and largest rowid of the jobs table ({0, -1} when it is empty). */
    private long[] rowidRange() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT min(rowid), max(rowid) FROM jobs")) {
            long min = row.getLong(1);
            return row.wasNull() ? new long[] {0, -1} : new long[] {min, row.getLong(2)};
        }
    }

    /** The jobs with a rowid in {@code [from, to]}, each made into the caller's object, in one read transaction. */
    private static <T> List<T> readMapped(Connection c, long from, long to, Function<StoredJob, T> make)
            throws SQLException {
        List<T> made = new ArrayList<>();
        try (PreparedStatement statement = c.prepareStatement(Rows.SELECT_JOB_RANGE_WITH_FILES)) {
            statement.setLong(1, from);
            statement.setLong(2, to);
            try (ResultSet rows = statement.executeQuery()) {
                readJobs(rows, s -> made.add(make.apply(s)));
            }
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
        return made;
    }

    /** Groups the rows of a jobs-with-files query (ordered by job) into jobs, each handed over once complete. */
    private static void readJobs(ResultSet rows, Consumer<StoredJob> each) throws SQLException {
        JobRow job = null;
        List<FileRow> files = new ArrayList<>();
        while (rows.next()) {
            String id = rows.getString("id");
            if (job == null || !job.id().equals(id)) {
                if (job != null) {
                    each.accept(new StoredJob(job, files));
                    files.clear();
                }
                job = Rows.readJob(rows);
            }
            if (rows.getString("job_id") != null) {
                files.add(Rows.readFile(rows));
            }
        }
        if (job != null) {
            each.accept(new StoredJob(job, files));
        }
    }

    /** A second, read-only connection to the same file, for a parallel read. */
    private Connection readerConnection() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setReadOnly(true);
        return config.createConnection("jdbc:sqlite:" + file);
    }

    private <T> List<T> joinLoad(CompletableFuture<List<T>> later) throws SQLException {
        try {
            return later.join();
        } catch (java.util.concurrent.CompletionException e) {
            switch (e.getCause()) {
                case SQLException sql -> throw sql;
                case IllegalArgumentException bad -> throw bad;
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw e;
            }
        }
    }

    private IOException readFailure(Exception e) {
        return new IOException("cannot read the job store " + file + ": " + e.getMessage(), e);
    }

    @Override
    public void write(Batch batch) throws IOException {
        Objects.requireNonNull(batch, "batch");
        if (batch.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            ensureOpen();
            try {
                for (JobRow job : batch.jobs()) {
                    Rows.bindJob(upsertJob, job);
                    upsertJob.addBatch();
                }
                for (FileRow row : batch.files()) {
                    Rows.bindFile(upsertFile, row);
                    upsertFile.addBatch();
                }
                for (String id : batch.deletedJobIds()) {
                    deleteJob.setString(1, id);
                    deleteJob.addBatch();
                }
                // Jobs before files (the files' foreign key), deletions last (as the Batch contract says).
                upsertJob.executeBatch();
                upsertFile.executeBatch();
                deleteJob.executeBatch();
                connection.commit();
            } catch (SQLException e) {
                rollbackQuietly(e);
                throw new IOException("cannot write the job store " + file + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                rollbackQuietly(e);
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes the connection; further calls fail. Closing twice does nothing. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            connection.close();
        } catch (SQLException e) {
            throw new IOException("cannot close the job store " + file + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** The database file, absolute. */
    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "SqliteJobStore[" + file + "]";
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the job store " + file + " is closed");
        }
    }

    private void rollbackQuietly(Exception failure) {
        try {
            upsertJob.clearBatch();
            upsertFile.clearBatch();
            deleteJob.clearBatch();
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static IOException openFailure(Path file, SQLException e) {
        int primaryCode = e.getErrorCode() & 0xff;
        if (primaryCode == SQLITE_CORRUPT || primaryCode == SQLITE_NOTADB) {
            return Schema.notOurs(file, e);
        }
        return new IOException("cannot open the job store " + file + ": " + e.getMessage(), e);
    }

    /**
     * Creates the directory (0700) and an empty database file (0600) before SQLite sees them, so the file is never
     * readable by others, not even for a moment. SQLite treats an empty file as a new database.
     */
    private static void createOwnerOnly(Path file) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path directory = file.getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            if (posix) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            } else {
                Files.createDirectories(directory);
            }
        }
        try {
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            // An existing store keeps the mode its owner gave it.
        }
    }

    /** SQLite gives the -wal and -shm files the mode of the database; set it explicitly anyway. */
    private static void restrictSidecars(Path file) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        for (String suffix : List.of("-wal", "-shm")) {
            Path sidecar = file.resolveSibling(file.getFileName() + suffix);
            if (Files.exists(sidecar)) {
                Files.setPosixFilePermissions(sidecar, OWNER_ONLY_FILE);
            }
        }
    }

    private static void closeQuietly(Connection connection, Exception failure) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
