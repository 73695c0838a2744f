package io.jbits.core.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Temporary files beside their destinations: naming, the atomic move on complete, deletion on cancel. */
final class LocalFiles {
    private LocalFiles() {
    }

    /** The temporary name for a job's file: beside the final name, so the final move is a rename. */
    static String tempPathFor(String jobId, String localPath) {
        return localPath + ".jbits-" + jobId.substring(0, 8) + ".part";
    }

    /**
     * Moves each transferred file's temporary to its final name, atomically, then makes the renames durable
     * (fsync of each directory). A temporary already gone with its final name present was moved by an earlier
     * attempt that crashed before it was recorded.
     */
    static void publish(List<FileModel> done) throws IOException {
        Set<Path> dirs = new LinkedHashSet<>();
        for (FileModel f : done) {
            if (!f.written()) {
                continue; // an upload's source stays where it is
            }
            Path temp = Path.of(f.tempPath());
            Path target = Path.of(f.localPath);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename " + temp + " to " + target + " atomically", e);
            } catch (NoSuchFileException e) {
                // asked only when the rename failed, so the common case costs one call per file
                if (!Files.exists(temp) && Files.exists(target)) {
                    continue;
                }
                throw e;
            }
            dirs.add(target.toAbsolutePath().getParent());
        }
        for (Path dir : dirs) {
            syncDirectory(dir);
        }
    }

    /** Deletes the temporaries of these files; returns false when one could not be deleted. */
    static boolean deleteTemps(List<FileModel> files) {
        boolean all = true;
        for (FileModel f : files) {
            if (!f.written() || f.tempPath().isEmpty()) {
                continue; // never touch an upload's source
            }
            try {
                Files.deleteIfExists(Path.of(f.tempPath()));
            } catch (IOException e) {
                all = false;
            }
        }
        return all;
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot open directories for sync; the rename itself is done
        }
    }
}
