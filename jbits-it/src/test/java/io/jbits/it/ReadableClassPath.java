package io.jbits.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A copy of this JVM's class path that every user may read, for the tests that run jbits as another Unix user
 * (the build's own directories may not be readable by them).
 */
final class ReadableClassPath {
    private ReadableClassPath() {
    }

    /** Copies every class-path entry into {@code dir} (world-readable) and returns the copy's class path. */
    static String copyInto(Path dir) throws IOException {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            Path copy = dir.resolve(n++ + "-" + source.getFileName());
            if (Files.isDirectory(source)) {
                copyTree(source, copy);
            } else if (Files.isRegularFile(source)) {
                Files.copy(source, copy, StandardCopyOption.COPY_ATTRIBUTES);
            } else {
                continue;
            }
            entries.add(copy.toString());
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
