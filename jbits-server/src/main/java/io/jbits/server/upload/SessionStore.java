package io.jbits.server.upload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * The sessions on disk, which are the only record of them: one directory per session in the session directory,
 * named by its GUID, holding {@code state.properties} (replaced atomically: written to a temporary file, forced,
 * renamed), {@code request} (the bytes received so far), {@code lock} (what {@link SessionLock} locks), and, with
 * notification, {@code notify.claim} and {@code response} (the application's reply), as IIS keeps
 * {@code BITS-Sessions/{guid}/request} and {@code response}.
 *
 * <p>Every node of an upload farm may share this directory (docs/architecture.md, README "Upload farms"), so it
 * uses only what NFSv4 and SMB keep atomic: a session appears by renaming a complete {@code .new-} directory to its
 * GUID and disappears by renaming it to a {@code .trash-} name before it is deleted, so no node ever sees half a
 * session; the state file is replaced by a rename within its directory; every change is forced (file and
 * directory) before the packet that made it is acknowledged; and the notification claim is an exclusive create.
 */
final class SessionStore {

    private static final System.Logger LOG = System.getLogger(SessionStore.class.getName());

    static final String STATE = "state.properties";
    static final String REQUEST = "request";
    static final String RESPONSE = "response";
    static final String LOCK = "lock";
    static final String CLAIM = "notify.claim";
    private static final String STATE_TEMP = "state.tmp";
    private static final String NEW_PREFIX = ".new-";
    private static final String TRASH_PREFIX = ".trash-";

    private final Path root;

    SessionStore(Path realSessionDir) {
        this.root = realSessionDir;
    }

    Path root() {
        return root;
    }

    Path directory(String key) {
        return root.resolve(key);
    }

    Path directory(Session session) {
        return directory(session.key());
    }

    Path lockFile(String key) {
        return directory(key).resolve(LOCK);
    }

    Path requestFile(Session session) {
        return directory(session).resolve(REQUEST);
    }

    Path responseFile(Session session) {
        return directory(session).resolve(RESPONSE);
    }

    /**
     * Creates the session's directory with an empty request file, its lock file and its state, all durable, under
     * a private name, then renames it into place: other nodes see the whole session or none of it.
     */
    void create(Session session) throws IOException {
        Path building = Files.createDirectory(root.resolve(NEW_PREFIX + session.key()));
        try {
            Files.createFile(building.resolve(REQUEST));
            Files.createFile(building.resolve(LOCK));
            writeState(building, session);
            fsyncDirectory(building);
            Files.move(building, directory(session), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(building);
            throw e;
        }
        fsyncSharedDirectory(root);
    }

    /**
     * Replaces the session's state file atomically and durably (the directory is forced too): on shared storage,
     * the next packet may reach another node, which must find the state that this packet's Ack announced.
     */
    void save(Session session) throws IOException {
        Path directory = directory(session);
        writeState(directory, session);
        fsyncDirectory(directory);
    }

    private static void writeState(Path directory, Session session) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        session.toProperties().store(bytes, "jbits upload session");
        Path temp = directory.resolve(STATE_TEMP);
        writeForced(temp, bytes.toByteArray(), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(temp, directory.resolve(STATE), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeForced(Path file, byte[] content, StandardOpenOption... options) throws IOException {
        List<StandardOpenOption> all = new ArrayList<>(List.of(options));
        all.add(StandardOpenOption.WRITE);
        try (FileChannel channel = FileChannel.open(file, all.toArray(StandardOpenOption[]::new))) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** The GUIDs of the sessions on disk now. */
    List<String> keys() throws IOException {
        List<String> keys = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.equals(Session.keyOf(name))) {
                    keys.add(name);
                }
            }
        }
        return keys;
    }

    /**
     * Reads the session {@code key}'s state, or null when there is no such session or its state cannot be read
     * (see {@link #damaged}).
     */
    Session read(String key) throws IOException {
        Path directory = directory(key);
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(directory.resolve(STATE))) {
            properties.load(in);
            Session session = Session.fromProperties(properties);
            UploadTarget.checkSegments(session.destination());
            return session.key().equals(key) ? session : null;
        } catch (NoSuchFileException | IllegalArgumentException | UploadError e) {
            LOG.log(Level.DEBUG, () -> "No readable session in " + directory, e);
            return null;
        }
    }

    /** True when {@code key}'s directory exists but holds no readable state (a damaged file, a planted directory). */
    boolean damaged(String key) throws IOException {
        return Files.isDirectory(directory(key)) && read(key) == null;
    }

    /** When the session's directory last changed, or null when it is gone. */
    Instant modifiedAt(String key) {
        try {
            return Files.getLastModifiedTime(directory(key)).toInstant();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Removes the session: its directory is renamed away (atomic: from now on no node finds it) and then deleted.
     * The caller holds the session's lock; a deletion cut short leaves a {@code .trash-} directory that
     * {@link #sweep} removes.
     */
    void delete(String key) throws IOException {
        Path trash = trash(key);
        if (trash != null) {
            deleteQuietly(trash);
        }
    }

    /**
     * Renames the session's directory to a {@code .trash-} name, durably, and returns that, or null when it is
     * gone already. Deleting it is left to the caller, after it released the session's lock: on NFS, a file still
     * open is only renamed by its deletion and keeps its directory until closed.
     */
    Path trash(String key) throws IOException {
        Path trash = root.resolve(TRASH_PREFIX + key + "-" + UUID.randomUUID());
        try {
            Files.move(directory(key), trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return null;
        }
        fsyncSharedDirectory(root);
        return trash;
    }

    /**
     * Deletes what dead nodes left behind: {@code .trash-} directories of any age and {@code .new-} directories
     * (a Create-Session cut short) older than {@code oldestAllowed}, which no live node is still filling.
     */
    void sweep(Instant oldestAllowed) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(TRASH_PREFIX)) {
                    deleteQuietly(entry);
                } else if (name.startsWith(NEW_PREFIX)) {
                    try {
                        if (Files.getLastModifiedTime(entry).toInstant().isBefore(oldestAllowed)) {
                            deleteQuietly(entry);
                        }
                    } catch (NoSuchFileException e) {
                        // Renamed into place or deleted by another node meanwhile.
                    }
                }
            }
        }
    }

    /**
     * Claims the notification of the session's upload with an exclusive create, forced before the application is
     * called. Returns 1 for the first attempt; a higher number when a claim was already there, which under the
     * session's lock means that a node died (or failed to record the outcome) between the call and its record.
     */
    int claimNotification(Session session) throws IOException {
        Path claim = directory(session).resolve(CLAIM);
        try {
            writeForced(claim, "1".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.CREATE_NEW);
            fsyncDirectory(directory(session));
            return 1;
        } catch (FileAlreadyExistsException e) {
            int attempt = parseAttempt(Files.readString(claim, StandardCharsets.US_ASCII)) + 1;
            writeForced(claim, Integer.toString(attempt).getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.TRUNCATE_EXISTING);
            return attempt;
        }
    }

    private static int parseAttempt(String text) {
        try {
            return Math.max(1, Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Gives the claim up after the application refused: the client's resend notifies again, as the spec wants. */
    void releaseClaim(Session session) throws IOException {
        Files.deleteIfExists(directory(session).resolve(CLAIM));
    }

    /** Deletes {@code path} and everything below it, tolerating another node deleting the same things meanwhile. */
    static void deleteQuietly(Path path) {
        try {
            deleteRecursively(path);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "Cannot delete " + path + " yet", e);
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // walkFileTree does not follow links by default: a symlink planted in a session is removed, not its target.
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                if (failure instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw failure;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                if (failure != null && !(failure instanceof NoSuchFileException)) {
                    throw failure;
                }
                Files.deleteIfExists(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Concurrent packets that change the same directory share its forces. */
    private static final DirectorySync SHARED_DIRECTORIES = new DirectorySync(SessionStore::fsyncDirectory);

    /**
     * Makes the entries of a directory that many sessions change (the session directory, an upload directory)
     * durable, as {@link #fsyncDirectory}, sharing the force with the packets that wait for it too.
     */
    static void fsyncSharedDirectory(Path directory) {
        SHARED_DIRECTORIES.sync(directory);
    }

    /** Makes the entries of a directory (creations, renames) durable: fsync on the directory itself. */
    static void fsyncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems refuse fsync on a directory; the data files themselves are already forced.
            LOG.log(Level.DEBUG, () -> "fsync of directory " + directory + " failed", e);
        }
    }
}
