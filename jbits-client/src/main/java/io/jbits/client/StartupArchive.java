package io.jbits.client;

import io.jbits.rest.ServicePaths;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The class-data archive of the service's JVM, which cuts its start by about a third: the JVM options that use it,
 * or that record it when there is none yet.
 *
 * <p>The archive sits in the user's cache directory ({@code $XDG_CACHE_HOME/jbits}, else {@code ~/.cache/jbits}),
 * named after the class path and the size and time of each of its entries, so a rebuilt jar never meets an archive
 * of the old one (the JVM would also refuse it: it checks the jars it was made from). With no archive yet, the
 * service records the classes it loaded when it exits, into a file of its own state directory's name
 * ({@code .part}, with a {@code .owner} file beside it that names that state directory's lock); the next start, of
 * any state directory, adopts that file once the service that recorded it is gone (its lock is free, so the JVM has
 * finished writing) and the file begins as an archive does. The JVM ignores, silently, an
 * archive it cannot use, and an unwritable cache directory only means a start without one: nothing here can keep
 * the service from starting.
 */
final class StartupArchive {
    /** The first bytes of a dynamic archive of HotSpot (its magic number, little-endian). */
    private static final byte[] MAGIC = {(byte) 0xa8, (byte) 0xab, 0x0b, (byte) 0xf0};
    private static final long ABANDONED_MILLIS = 3_600_000;
    /** Silence about an archive the JVM cannot use; the {@code aot} tag exists from JDK 25 (the client runs on 21). */
    private static final List<String> QUIET = Runtime.version().feature() >= 25
            ? List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-Xlog:aot=off")
            : List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    private StartupArchive() {
    }

    /** The options for a service of this state directory on this class path; none when there is no cache. */
    static List<String> jvmOptions(ServicePaths paths, String classPath) {
        Path dir = ServicePaths.cacheDirectory();
        return dir == null ? List.of() : jvmOptions(dir, paths, classPath);
    }

    /** The options with the archive in {@code dir} (made when missing). */
    static List<String> jvmOptions(Path dir, ServicePaths paths, String classPath) {
        if (!jarsOnly(classPath)) {
            return List.of(); // the JVM archives classes from jars only (a build's or a test's class directories)
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            if (!Files.isWritable(dir)) {
                return List.of();
            }
            String clone = "daemon-" + hash(classPath) + "-";
            Path archive = dir.resolve(clone + identity(classPath) + ".jsa");
            Path part = dir.resolve(archive.getFileName() + "." + hash(paths.stateDir().toString()) + ".part");
            if (!Files.exists(archive) && !adoptFinished(dir, clone, archive, part, paths)) {
                return List.of(); // this state directory's service may be writing it still: it is running
            }
            List<String> options = new ArrayList<>(QUIET);
            if (Files.exists(archive)) {
                options.add("-XX:SharedArchiveFile=" + archive);
            } else if (!recordingElsewhere(dir, archive)) {
                Files.write(part, new byte[0]); // marks the recording until the JVM writes it as it exits
                Files.writeString(recorder(part), paths.lockFile().toString());
                options.add("-XX:ArchiveClassesAtExit=" + part);
            }
            return options;
        } catch (IOException | RuntimeException e) {
            return List.of(); // a start without an archive
        }
    }

    /**
     * Adopts a finished recording of this build as its archive: one made by a service that has exited (its state
     * directory's lock is free, or its state directory is gone), whichever state directory it served; a benchmark or
     * a test that starts each service in a fresh state directory would otherwise never find the archive its first
     * service made. Recordings that did not become the archive are removed. Returns false when this state
     * directory's own service is alive and may be writing its recording still.
     */
    private static boolean adoptFinished(Path dir, String clone, Path archive, Path part, ServicePaths paths)
            throws IOException {
        List<Path> parts = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, archive.getFileName() + ".*.part")) {
            found.forEach(parts::add);
        }
        for (Path p : parts) {
            Path lock = p.equals(part) ? paths.lockFile() : recorderLock(p);
            if (lock == null) {
                continue; // a recording by a jbits that did not say whose it is: left to the hour's rule
            }
            if (serviceAlive(lock)) {
                if (p.equals(part)) {
                    return false;
                }
                continue;
            }
            if (!Files.exists(archive) && startsAsAnArchive(p)) {
                move(p, archive);
                removeOthers(dir, clone, archive);
            }
            Files.deleteIfExists(p); // one that did not become the archive was never finished
            Files.deleteIfExists(recorder(p));
        }
        return true;
    }

    /** The file beside a recording that names the lock file of the state directory whose service records it. */
    private static Path recorder(Path part) {
        return part.resolveSibling(part.getFileName() + ".owner");
    }

    /** The lock file the recording's service holds while it lives, or null when no file says. */
    private static Path recorderLock(Path part) {
        try {
            String lock = Files.readString(recorder(part)).strip();
            return lock.isEmpty() ? null : Path.of(lock);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether a service of another state directory records this archive already (one 20 MB recording per build is
     * enough). Recordings abandoned for an hour are removed first, whatever build they were for: a service killed
     * before it wrote its archive, or a build replaced before its recording was adopted, leaves a file of about
     * 20 MB that no later start would otherwise look at (a developer's cache held 32 of them, 640 MB).
     */
    private static boolean recordingElsewhere(Path dir, Path archive) throws IOException {
        long abandoned = System.currentTimeMillis() - ABANDONED_MILLIS;
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, "daemon-*.part")) {
            for (Path p : parts) {
                if (Files.getLastModifiedTime(p).toMillis() < abandoned) {
                    Files.deleteIfExists(p);
                    Files.deleteIfExists(recorder(p));
                }
            }
        }
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, archive.getFileName() + ".*.part")) {
            return parts.iterator().hasNext();
        }
    }

    private static boolean jarsOnly(String classPath) {
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.endsWith(".jar") || !new File(entry).isFile()) {
                return false;
            }
        }
        return true;
    }

    /** Whether a service holds the lock of its state directory (the JVM writes its archive before it lets go). */
    private static boolean serviceAlive(Path lockFile) throws IOException {
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            return lock == null;
        } catch (OverlappingFileLockException e) {
            return true; // this very process holds it: a service runs here
        }
    }

    /** Whether a file begins as a HotSpot dynamic archive does (the JVM checks the rest). */
    private static boolean startsAsAnArchive(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(from); // never a half-copied archive
        }
    }

    /** Removes the archives of this class path's older builds. */
    private static void removeOthers(Path dir, String clone, Path keep) throws IOException {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, clone + "*.jsa")) {
            for (Path p : old) {
                if (!p.equals(keep)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The class path's entries with their sizes and times: changes whenever a jar is rebuilt. */
    private static String identity(String classPath) {
        StringBuilder b = new StringBuilder(System.getProperty("java.home", ""));
        for (String entry : classPath.split(File.pathSeparator)) {
            File f = new File(entry);
            b.append('|').append(entry).append(' ').append(f.length()).append(' ').append(f.lastModified());
        }
        return hash(b.toString());
    }

    private static String hash(String s) {
        CRC32 crc = new CRC32();
        crc.update(s.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }
}
