package io.jbits.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * SQLite's native library, kept once in a cache directory. Left alone, sqlite-jdbc writes a new copy of it (1 MiB)
 * into the temporary directory at every start and removes it only at a normal exit, so each service killed with
 * {@code kill -9} left one behind; the copy also cost a start about 60 ms.
 *
 * <p>The copy is named after sqlite-jdbc's version and the platform, written beside its final name and moved there
 * atomically, and checked by size at each start; the platform's folder in the jar is remembered beside it
 * ({@link #resourceFolder}). sqlite-jdbc loads it through {@code org.sqlite.lib.path} and falls
 * back to its own copy when it cannot. Nothing here is done when the user set that property, and any failure only
 * means sqlite-jdbc's usual way.
 */
final class NativeLibrary {
    private static final String PREFIX = "sqlite-jdbc-";

    private NativeLibrary() {
    }

    /** Makes sqlite-jdbc load its library from {@code dir}, copying it there first when it is not there yet. */
    static synchronized void useCopyIn(Path dir) {
        if (System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        try {
            String name = LibraryLoaderUtil.getNativeLibName();
            String folder = resourceFolder(dir);
            String resource = folder + "/" + name;
            URL url = SQLiteJDBCLoader.class.getResource(resource);
            if (url == null) {
                return; // no library for this platform in the jar: sqlite-jdbc looks elsewhere
            }
            URLConnection connection = url.openConnection();
            connection.setUseCaches(false);
            long size = connection.getContentLengthLong();
            String platform = folder.replaceAll(".*/native/", "").replace('/', '-');
            Path copy = dir.resolve(PREFIX + SQLiteJDBCLoader.getVersion() + "-" + platform + "-" + name);
            if (!Files.isRegularFile(copy) || Files.size(copy) != size) {
                write(dir, copy, connection);
            }
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", copy.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            // sqlite-jdbc's own way: a copy in the temporary directory
        }
    }

    /**
     * The folder of the jar that holds this platform's library, as sqlite-jdbc names it, remembered in {@code dir}
     * per operating system and architecture: sqlite-jdbc works it out by running {@code uname -o} (to tell Termux on
     * Android from Linux), a process at every start, and a JDK thread that waits for it and then lingers for a
     * minute. A remembered folder whose library the jar does not hold is worked out again.
     */
    private static String resourceFolder(Path dir) throws IOException {
        Path memo = dir.resolve(PREFIX + SQLiteJDBCLoader.getVersion() + "-" + System.getProperty("os.name", "")
                .replaceAll("[^A-Za-z0-9]", "") + "-" + System.getProperty("os.arch", "").replaceAll("[^A-Za-z0-9_]",
                "") + ".folder");
        try {
            String folder = Files.readString(memo).strip();
            if (folder.startsWith("/org/sqlite/native/")
                    && SQLiteJDBCLoader.class.getResource(folder + "/" + LibraryLoaderUtil.getNativeLibName()) != null) {
                return folder;
            }
        } catch (IOException e) {
            // the first start on this platform, or an unreadable memo: worked out again and written anew
        }
        String folder = LibraryLoaderUtil.getNativeLibResourcePath();
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path part = Files.createTempFile(dir, memo.getFileName().toString(), ".part");
        try {
            Files.writeString(part, folder + "\n");
            Files.move(part, memo, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
        return folder;
    }

    private static void write(Path dir, Path copy, URLConnection connection) throws IOException {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path part = Files.createTempFile(dir, copy.getFileName().toString(), ".part");
        try (InputStream in = connection.getInputStream()) {
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
        // Older versions' copies: a service already running keeps the one it mapped.
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path p : old) {
                String n = p.getFileName().toString();
                if (!p.equals(copy) && !n.endsWith(".part")
                        && !(n.startsWith(PREFIX + SQLiteJDBCLoader.getVersion() + "-") && n.endsWith(".folder"))) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
