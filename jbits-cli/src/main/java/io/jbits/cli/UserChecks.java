package io.jbits.cli;

import io.jbits.rest.ServicePaths;
import io.jbits.rest.ServiceStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * {@code jbits doctor}'s checks of the user's set-up: the state directory and database (modes and SQLite's
 * integrity check), the service answering on the user's own socket, and the cache of start-up archives.
 *
 * @param paths the user's state directory and socket
 * @param cacheDirectory the user's jbits cache, or null when neither XDG_CACHE_HOME nor a home is known
 * @param user the user this process runs as
 */
record UserChecks(ServicePaths paths, Path cacheDirectory, String user) {
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> DATABASE_MODE = PosixFilePermissions.fromString("rw-------");

    /** The state directory is the user's, mode 0700; the database mode 0600 and {@code PRAGMA integrity_check} ok. */
    DoctorCheck state() {
        Path dir = paths.stateDir();
        Path db = paths.database();
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                return DoctorCheck.pass("state", dir + " not made yet (the service makes it at its first start)");
            }
            List<String> wrong = new ArrayList<>();
            wrong.addAll(modeProblems(dir, DIRECTORY_MODE, "0700"));
            if (!Files.exists(db, LinkOption.NOFOLLOW_LINKS)) {
                return wrong.isEmpty()
                        ? DoctorCheck.pass("state", dir + " mode 0700; no database yet (made at the first start)")
                        : DoctorCheck.fail("state", String.join("; ", wrong));
            }
            wrong.addAll(modeProblems(db, DATABASE_MODE, "0600"));
            String integrity = integrity(db);
            if (!integrity.equals("ok")) {
                wrong.add(db + " fails its integrity check: " + integrity + " ('jbits service recover' repairs it)");
            }
            return wrong.isEmpty()
                    ? DoctorCheck.pass("state", dir + " mode 0700, " + db.getFileName()
                            + " mode 0600, integrity check ok")
                    : DoctorCheck.fail("state", String.join("; ", wrong));
        } catch (IOException e) {
            return DoctorCheck.fail("state", "cannot read " + dir + ": " + e.getMessage());
        }
    }

    private List<String> modeProblems(Path p, Set<PosixFilePermission> mode, String octal) throws IOException {
        List<String> wrong = new ArrayList<>();
        String owner = Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
        if (!owner.equals(user)) {
            wrong.add(p + " belongs to " + owner + ", not " + user);
        }
        Set<PosixFilePermission> actual = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        if (!actual.equals(mode)) {
            wrong.add(p + " has mode " + PosixFilePermissions.toString(actual) + ", not " + octal + " ("
                    + PosixFilePermissions.toString(mode) + ")");
        }
        return wrong;
    }

    /** SQLite's own check of the whole database file, read-only: "ok", or what it found first. */
    static String integrity(Path db) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection c = config.createConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
            return r.next() ? r.getString(1) : "no answer";
        } catch (SQLException e) {
            return e.getMessage() == null ? e.toString() : e.getMessage().strip();
        }
    }

    /** The service answers on the user's socket (started when it was not running, as any verb does), the user's. */
    DoctorCheck service(Services services) {
        Path socket = paths.socket();
        try {
            boolean wasRunning = services.status().isPresent();
            ServiceStatus s = services.start();
            if (!s.owner().equals(user)) {
                return DoctorCheck.fail("service", "the service on " + socket + " runs as " + s.owner() + ", not "
                        + user);
            }
            if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                String owner = Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS).getName();
                if (!owner.equals(user)) {
                    return DoctorCheck.fail("service", socket + " belongs to " + owner + ", not " + user);
                }
            }
            return DoctorCheck.pass("service", "answers on " + socket + " (pid " + s.pid() + ", version "
                    + s.version() + (wasRunning ? "" : ", started now") + "), " + user + "'s");
        } catch (IOException | RuntimeException e) {
            return DoctorCheck.fail("service", "no answer on " + socket + ": "
                    + (e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("")));
        }
    }

    /** The start-up archives' directory can be made and written (without it every start is slower). */
    DoctorCheck cache() {
        if (cacheDirectory == null) {
            return DoctorCheck.fail("cache", "no cache directory: neither XDG_CACHE_HOME nor a home directory is set");
        }
        try {
            Files.createDirectories(cacheDirectory);
            Path probe = Files.createTempFile(cacheDirectory, ".doctor-", ".tmp");
            Files.delete(probe);
            return DoctorCheck.pass("cache", cacheDirectory + " writable");
        } catch (IOException | UnsupportedOperationException e) {
            return DoctorCheck.fail("cache", cacheDirectory + " is not writable (" + e + "); starts are slower");
        }
    }
}
