package io.jbits.core.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The directories a set of new local files goes into, each looked at once while the set is checked
 * ({@link Inputs#localPath(String, LocalDirectories)}): whether it is a directory at all, and whether a file's name
 * is already taken there by a directory.
 *
 * <p>The second question costs a stat per file. Once {@link #LIST_FROM} files of the set go into one directory, the
 * directory is listed once instead, and only a name already in it is looked at; a new file in a fresh directory then
 * costs nothing. 2,000 stats were about a third of the service's CPU to create a job of 2,000 files. A directory
 * with more than {@link #MAX_LISTED_PER_FILE} entries per file seen so far is not listed to its end: its files are
 * looked at one by one, as before.
 */
final class LocalDirectories {
    /** The files of the set in one directory from which it is listed rather than each file looked at. */
    static final int LIST_FROM = 16;
    /** A listing stops beyond this many entries per file of the set seen in the directory so far. */
    static final int MAX_LISTED_PER_FILE = 64;

    /** Parents found to be directories. */
    private final Set<Path> directories = new HashSet<>();
    /** Parents found missing: nothing is in them yet (the download makes them). */
    private final Set<Path> missing = new HashSet<>();
    /** Files of the set seen per parent, until it is listed. */
    private final Map<Path, Integer> seen = new HashMap<>();
    /** The names in a listed parent; a parent that could not be listed whole maps to null. */
    private final Map<Path, Set<String>> listed = new HashMap<>();

    /**
     * Looks at {@code parent} once: remembers it as a directory when it is one, and answers whether it exists as
     * something else (a file the set's files cannot go under).
     */
    boolean existsAsOther(Path parent) {
        if (directories.contains(parent) || missing.contains(parent)) {
            return false;
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(parent, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            missing.add(parent);
            return false; // not there yet: the download makes it
        } catch (IOException | SecurityException e) {
            return false; // not readable here: the download says what is wrong
        }
        if (a.isDirectory()) {
            directories.add(parent);
            return false;
        }
        return true;
    }

    /** Whether {@code path} (normalized, absolute) names an existing directory. */
    boolean isTakenByDirectory(Path path) {
        Path parent = path.getParent();
        if (parent != null && missing.contains(parent)) {
            return false; // in a directory that is not there yet
        }
        if (parent == null || !directories.contains(parent)) {
            return Files.isDirectory(path);
        }
        Set<String> names = listed.get(parent);
        if (names == null && !listed.containsKey(parent)) {
            int n = seen.merge(parent, 1, Integer::sum);
            if (n >= LIST_FROM) {
                names = list(parent, (long) n * MAX_LISTED_PER_FILE);
                listed.put(parent, names);
                seen.remove(parent);
            }
        }
        if (names != null && !names.contains(path.getFileName().toString())) {
            return false; // the name is free: no stat
        }
        return Files.isDirectory(path);
    }

    /** The names in {@code dir}, or null when it holds more than {@code max} entries or cannot be read. */
    private static Set<String> list(Path dir, long max) {
        Set<String> names = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (names.size() >= max) {
                    return null;
                }
                names.add(entry.getFileName().toString());
            }
            return names;
        } catch (IOException | SecurityException | DirectoryIteratorException e) {
            return null;
        }
    }
}
