package io.jbits.server.upload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The sessions on disk: one directory per session in the session directory, named by its GUID, holding
 * {@code state.properties} (replaced atomically: written to a temporary file, forced, renamed), {@code request}
 * (the bytes received so far) and, with notification, {@code response} (the application's reply), as IIS keeps
 * {@code BITS-Sessions/{guid}/request} and {@code response}.
 *
 * <p>The state file records how many bytes were acknowledged; on load, the request file is cut back to that
 * length, so bytes written after the last Ack (a crash mid-fragment, a power loss before the page cache reached the
 * disk) can never be counted.
 */
final class SessionStore {

    private static final System.Logger LOG = System.getLogger(SessionStore.class.getName());

    static final String STATE = "state.properties";
    static final String REQUEST = "request";
    static final String RESPONSE = "response";
    private static final String STATE_TEMP = "state.tmp";

    private final Path root;

    SessionStore(Path realSessionDir) {
        this.root = realSessionDir;
    }

    Path directory(Session session) {
        return root.resolve(session.key());
    }

    Path requestFile(Session session) {
        return directory(session).resolve(REQUEST);
    }

    Path responseFile(Session session) {
        return directory(session).resolve(RESPONSE);
    }

    /** Creates the session's directory, an empty request file and its state, all durable. */
    void create(Session session) throws IOException {
        Path directory = Files.createDirectory(directory(session));
        Files.createFile(directory.resolve(REQUEST));
        writeState(session);
        fsyncDirectory(directory);
        fsyncDirectory(root);
    }

    /**
     * Replaces the session's state file atomically. The directory is not forced: should the rename be lost in a
     * power failure, the older state comes back, with a smaller acknowledged length, and the client is told to
     * resend from there. Progress can be lost that way, never counted twice.
     */
    void save(Session session) throws IOException {
        writeState(session);
    }

    private void writeState(Session session) throws IOException {
        Path directory = directory(session);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        session.toProperties().store(bytes, "jbits upload session");
        Path temp = directory.resolve(STATE_TEMP);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, directory.resolve(STATE), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads every session on disk. Directories without a readable state (a crash during Create-Session, a damaged
     * file) are deleted; request files longer than the acknowledged length are cut back.
     */
    List<Session> loadAll() throws IOException {
        List<Session> sessions = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path directory : entries) {
                Session session = load(directory);
                if (session == null) {
                    LOG.log(Level.WARNING, "Deleting {0}: not a readable upload session", directory);
                    deleteRecursively(directory);
                } else {
                    sessions.add(session);
                }
            }
        }
        return sessions;
    }

    private Session load(Path directory) throws IOException {
        if (!Files.isDirectory(directory) || Session.keyOf(directory.getFileName().toString()) == null) {
            return null;
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(directory.resolve(STATE))) {
            properties.load(in);
            Session session = Session.fromProperties(properties);
            UploadTarget.segments("/" + String.join("/", session.destination()));
            if (!session.key().equals(directory.getFileName().toString())) {
                return null;
            }
            Path request = directory.resolve(REQUEST);
            if (session.state() == Session.State.RECEIVING && Files.exists(request)) {
                long length = Files.size(request);
                if (length > session.receivedBytes()) {
                    try (FileChannel channel = FileChannel.open(request, StandardOpenOption.WRITE)) {
                        channel.truncate(session.receivedBytes());
                        channel.force(true);
                    }
                } else if (length < session.receivedBytes()) {
                    session.receivedBytes(length);
                }
            }
            return session;
        } catch (NoSuchFileException | IllegalArgumentException | UploadError e) {
            LOG.log(Level.DEBUG, () -> "Unreadable session in " + directory, e);
            return null;
        }
    }

    /** Deletes everything of the session. */
    void delete(Session session) throws IOException {
        deleteRecursively(directory(session));
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
            public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.deleteIfExists(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Makes the entries of a directory (creations, renames) durable: fsync on the directory itself. */
    static void fsyncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems refuse fsync on a directory; the data files themselves are already forced.
            LOG.log(Level.DEBUG, () -> "fsync of directory " + directory + " failed", e);
        }
    }
}
