package io.jbits.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * Where the user's service keeps its state and listens: one record shared by the CLI, the daemon and tests.
 *
 * <p>The state directory is {@code $JBITS_HOME} if set, else {@code $XDG_STATE_HOME/jbits}, else
 * {@code ~/.local/state/jbits}. The socket is {@code $JBITS_HOME/jbits.sock} when JBITS_HOME is set, else
 * {@code $XDG_RUNTIME_DIR/jbits/jbits.sock} when that is set, else {@code <state>/jbits.sock}.
 *
 * @param stateDir the directory of the database, log, pid and lock files
 * @param socket the Unix socket of the REST API
 */
public record ServicePaths(Path stateDir, Path socket) {
    /**
     * A Unix socket path must fit {@code sun_path}: 108 bytes on Linux including the terminating NUL, so at most
     * 107 bytes of path.
     */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    public ServicePaths {
        stateDir = stateDir.toAbsolutePath().normalize();
        socket = socket.toAbsolutePath().normalize();
        int bytes = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_SOCKET_PATH_BYTES) {
            throw new IllegalArgumentException("socket path " + socket + " is " + bytes
                    + " bytes; a Unix socket path must be under 108 bytes (set JBITS_HOME to a shorter directory)");
        }
    }

    /** The paths for this process's environment and user. */
    public static ServicePaths fromEnvironment() {
        return from(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * The paths for an environment and a home directory, by the rules above.
     *
     * @throws IllegalArgumentException when the socket path is 108 bytes or longer
     */
    public static ServicePaths from(Map<String, String> env, Path userHome) {
        String jbitsHome = nonEmpty(env.get("JBITS_HOME"));
        if (jbitsHome != null) {
            Path home = Path.of(jbitsHome);
            return new ServicePaths(home, home.resolve("jbits.sock"));
        }
        String xdgState = nonEmpty(env.get("XDG_STATE_HOME"));
        Path state = xdgState != null
                ? Path.of(xdgState, "jbits")
                : userHome.resolve(".local").resolve("state").resolve("jbits");
        String runtime = nonEmpty(env.get("XDG_RUNTIME_DIR"));
        Path socket = runtime != null ? Path.of(runtime, "jbits", "jbits.sock") : state.resolve("jbits.sock");
        return new ServicePaths(state, socket);
    }

    /** The SQLite database of jobs. */
    public Path database() {
        return stateDir.resolve("jobs.db");
    }

    /** The service's log (the launcher appends the daemon's stdout and stderr to it). */
    public Path log() {
        return stateDir.resolve("service.log");
    }

    /** The file holding the running daemon's pid. */
    public Path pidFile() {
        return stateDir.resolve("service.pid");
    }

    /** The file the running daemon keeps locked for its whole life. */
    public Path lockFile() {
        return stateDir.resolve("service.lock");
    }

    /**
     * Creates the state directory and the socket's directory (mode 0700) when missing. Existing directories keep
     * their mode, except the socket's own {@code jbits} directory under the runtime directory, which is private.
     */
    public void createDirectories() throws IOException {
        createPrivateDirectory(stateDir);
        Path socketDir = socket.getParent();
        if (!socketDir.equals(stateDir)) {
            createPrivateDirectory(socketDir);
        }
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException raced) {
            return;
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(dir);
            return;
        }
        // The umask may have removed bits from the attribute above; none should be missing, but be exact.
        Files.setPosixFilePermissions(dir, OWNER_ONLY);
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /**
     * The user's jbits cache ({@code $XDG_CACHE_HOME/jbits}, else {@code ~/.cache/jbits}): files that only make
     * starts faster, rebuilt when missing. Null when neither is known.
     */
    public static Path cacheDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "jbits");
        }
        String home = System.getProperty("user.home");
        return home == null || home.isBlank() || home.equals("?") ? null : Path.of(home, ".cache", "jbits");
    }
}
