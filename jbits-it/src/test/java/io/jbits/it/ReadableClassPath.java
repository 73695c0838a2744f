package io.jbits.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * A copy of the command's jar and its libraries ({@link CliJar}) that every user may read, for the tests that run
 * jbits as another Unix user (the build's own directories may not be readable by them).
 */
final class ReadableClassPath {
    private ReadableClassPath() {
    }

    /** Copies the jar and its {@code lib/} into {@code dir} (world-readable) and returns the copy's class path. */
    static String copyInto(Path dir) throws IOException {
        Path jar = CliJar.jar();
        Path copy = dir.resolve(jar.getFileName().toString());
        Files.copy(jar, copy, StandardCopyOption.COPY_ATTRIBUTES);
        copyTree(jar.resolveSibling("lib"), dir.resolve("lib"));
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return copy.toString();
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
