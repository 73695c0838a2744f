package io.jbits.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * SQLite's library kept in a cache directory, and the jar folder of this platform remembered beside it, so that later
 * starts do not ask sqlite-jdbc to work the platform out (it runs {@code uname -o} for that).
 */
class NativeLibraryTest {
    @TempDir
    Path cache;

    @Test
    void theLibraryIsCopiedOnceAndItsFolderRememberedAndARememberedFolderIsUsedAsItIs() throws IOException {
        String path = System.getProperty("org.sqlite.lib.path");
        String name = System.getProperty("org.sqlite.lib.name");
        try {
            System.clearProperty("org.sqlite.lib.path");
            NativeLibrary.useCopyIn(cache);
            String folder = LibraryLoaderUtil.getNativeLibResourcePath();
            Path memo = only("*.folder");
            assertEquals(folder, Files.readString(memo).strip(), "the platform's folder, remembered");
            Path copy = cache.resolve(System.getProperty("org.sqlite.lib.name"));
            assertEquals(cache.toString(), System.getProperty("org.sqlite.lib.path"));
            assertTrue(Files.size(copy) > 100_000, "the library itself: " + copy);
            String platformName = copy.getFileName().toString();

            // a remembered folder is taken as it is (here another platform's, which the jar also holds)
            String other = folder.endsWith("/aarch64") ? "/org/sqlite/native/Linux/x86_64"
                    : "/org/sqlite/native/Linux/aarch64";
            Files.writeString(memo, other + "\n");
            System.clearProperty("org.sqlite.lib.path");
            NativeLibrary.useCopyIn(cache);
            String otherName = System.getProperty("org.sqlite.lib.name");
            assertNotEquals(platformName, otherName);
            assertTrue(otherName.contains(other.substring(other.lastIndexOf('/') + 1)), otherName);

            // one the jar does not hold, or garbage, is worked out again
            for (String bad : List.of("/org/sqlite/native/Nowhere/none", "\u00ff\u0000garbage")) {
                Files.write(memo, bad.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                System.clearProperty("org.sqlite.lib.path");
                NativeLibrary.useCopyIn(cache);
                assertEquals(folder, Files.readString(memo).strip(), "worked out again after " + bad);
                assertEquals(platformName, System.getProperty("org.sqlite.lib.name"));
            }
        } finally {
            restore("org.sqlite.lib.path", path);
            restore("org.sqlite.lib.name", name);
        }
    }

    private Path only(String glob) throws IOException {
        try (Stream<Path> all = Files.list(cache)) {
            List<Path> found = all.filter(p -> cache.getFileSystem().getPathMatcher("glob:" + glob)
                    .matches(p.getFileName())).toList();
            assertEquals(1, found.size(), "one " + glob + " in " + cache + ": " + found);
            return found.get(0);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
