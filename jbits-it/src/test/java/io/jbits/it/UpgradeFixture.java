package io.jbits.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The upgrade fixture: a state database made by the jbits of schema version 2, kept in
 * {@code src/test/resources/upgrade-fixture-v2/} ({@code jobs.db}, and in {@code dest/} the temporary files its
 * jobs point at), with one job in each state a database holds. {@link UpgradeFixtureMaker} made it;
 * {@code UpgradeFixtureTest} opens it with today's jbits.
 *
 * <p>The served files are not kept: they are seeded random bytes ({@link #SOURCES}), made again at test time with
 * the same modification time, so that nginx gives them the same ETag and Last-Modified and interrupted transfers
 * resume. The database keeps absolute paths and URLs; the maker replaced them by placeholders ({@link #WEB},
 * {@link #UPLOAD}, {@link #DEST}), which the test relocates ({@link #relocate}) to its own nginx, upload server and
 * destination directory before the service opens it.
 */
final class UpgradeFixture {
    /** Where the fixture lives in the test resources. */
    static final Path RESOURCES = Path.of("src", "test", "resources", "upgrade-fixture-v2");
    /** The placeholder of the web server's origin in the database's URLs. */
    static final String WEB = "http://jbits-fixture-web.invalid";
    /** The placeholder of the upload server's origin. */
    static final String UPLOAD = "http://jbits-fixture-upload.invalid";
    /** The placeholder of the destination directory in local and temporary paths. */
    static final String DEST = "/jbits-fixture/dest";
    /** The modification time of every served file, so that validators match across runs. */
    static final FileTime MTIME = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));

    /** A served (or uploaded) file: its name, size and the seed of its bytes. */
    record Source(String name, long sizeBytes, long seed) {
        Path writeTo(Path dir) {
            Path file = TestData.randomFile(dir.resolve(name), sizeBytes, seed);
            try {
                Files.setLastModifiedTime(file, MTIME);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return file;
        }
    }

    /** One job of the fixture: its name (unique), the state it was left in and its file. */
    record Job(String name, String state, Source source, boolean upload) {
    }

    static final Source SUSPENDED_FILE = new Source("suspended.bin", 300_000, 101);
    static final Source QUEUED_FILE = new Source("queued.bin", 400_000, 102);
    static final Source INTERRUPTED_FILE = new Source("interrupted.bin", 3L * TestData.MIB + 5, 103);
    static final Source TRANSFERRED_FILE = new Source("transferred.bin", 200_000, 104);
    /** Missing from the server when the fixture was made (404); the test publishes it. */
    static final Source ERROR_FILE = new Source("error.bin", 150_000, 105);
    static final Source TRANSIENT_FILE = new Source("transient.bin", 160_000, 106);
    static final Source ACKNOWLEDGED_FILE = new Source("acknowledged.bin", 50_000, 107);
    static final Source CANCELLED_FILE = new Source("cancelled.bin", 60_000, 108);
    /** The local file of the upload job, in the destination directory. */
    static final Source UPLOAD_FILE = new Source("upload.bin", 700_001, 109);

    static final List<Source> SOURCES = List.of(SUSPENDED_FILE, QUEUED_FILE, INTERRUPTED_FILE, TRANSFERRED_FILE,
            ERROR_FILE, TRANSIENT_FILE, ACKNOWLEDGED_FILE, CANCELLED_FILE);

    static final List<Job> JOBS = List.of(
            new Job("fx-suspended", "SUSPENDED", SUSPENDED_FILE, false),
            new Job("fx-queued", "QUEUED", QUEUED_FILE, false),
            new Job("fx-interrupted", "TRANSFERRING", INTERRUPTED_FILE, false),
            new Job("fx-transferred", "TRANSFERRED", TRANSFERRED_FILE, false),
            new Job("fx-error", "ERROR", ERROR_FILE, false),
            new Job("fx-transient", "TRANSIENT_ERROR", TRANSIENT_FILE, false),
            new Job("fx-acknowledged", "ACKNOWLEDGED", ACKNOWLEDGED_FILE, false),
            new Job("fx-cancelled", "CANCELLED", CANCELLED_FILE, false),
            new Job("fx-upload", "SUSPENDED", UPLOAD_FILE, true));

    private UpgradeFixture() {
    }

    /** The job of a name. */
    static Job job(String name) {
        return JOBS.stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * Moves every job's times (created, modified, transfer completed) by one amount, so that the newest change is
     * {@code newest}: the state reads as left by the older version just then, not on the day the fixture was made.
     * Without it the service would drop the fixture's cancelled and acknowledged jobs as a day old, and one day
     * a queued job would pass its no-progress timeout.
     */
    static void movedTo(Path database, Instant newest) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
                PreparedStatement s = c.prepareStatement("""
                        UPDATE jobs SET created = created + ?1, modified = modified + ?1,
                            transfer_completed = transfer_completed + ?1""");
                PreparedStatement newestNow = c.prepareStatement("SELECT max(modified) FROM jobs");
                ResultSet r = newestNow.executeQuery()) {
            r.next();
            s.setLong(1, newest.toEpochMilli() - r.getLong(1));
            s.executeUpdate();
        }
    }

    /**
     * Replaces origins and directories in every URL and path of a database: {@code from[i]} by {@code to[i]}. The
     * maker uses it to put placeholders in, the test to take them out.
     */
    static void relocate(Path database, List<String> from, List<String> to) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database)) {
            for (int i = 0; i < from.size(); i++) {
                for (String sql : List.of(
                        "UPDATE files SET remote_url = replace(remote_url, ?1, ?2)",
                        "UPDATE files SET local_path = replace(local_path, ?1, ?2)",
                        "UPDATE files SET temp_path = replace(temp_path, ?1, ?2) WHERE temp_path IS NOT NULL")) {
                    try (PreparedStatement s = c.prepareStatement(sql)) {
                        s.setString(1, from.get(i));
                        s.setString(2, to.get(i));
                        s.executeUpdate();
                    }
                }
            }
        }
    }
}
