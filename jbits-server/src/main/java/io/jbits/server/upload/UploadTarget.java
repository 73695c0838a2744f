package io.jbits.server.upload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Maps request paths into the upload directory and nowhere else, and puts finished uploads there.
 *
 * <p>The path is taken from the raw (still percent-encoded) request target and checked segment by segment, so no
 * normalisation by a container can turn {@code a/%2e%2e/b} or {@code a%2fb} into something else later: a segment
 * must decode (strict UTF-8) to a plain file name, without {@code /}, {@code \}, {@code :}, NUL or control
 * characters, not {@code .} or {@code ..}, and not a {@code .jbits-} name (the server's own). Directories on the
 * way may be symlinks only if their real path stays inside the upload directory and outside the session directory;
 * the destination itself must not be a symlink or a directory.
 *
 * <p>IIS requires the virtual directory to exist; missing subdirectories below it are created when the upload
 * finishes, never earlier, so a refused or abandoned upload leaves nothing behind.
 */
final class UploadTarget {

    /** Names starting with this (any case) belong to the server: sessions, replies. */
    static final String RESERVED_PREFIX = ".jbits-";

    private static final int MAX_SEGMENT_BYTES = 255;

    private final Path root;
    private final Path sessionRoot;

    /** Both paths must be real paths (symlinks resolved). */
    UploadTarget(Path realUploadDir, Path realSessionDir) {
        this.root = realUploadDir;
        this.sessionRoot = realSessionDir;
    }

    /**
     * The decoded path segments of {@code rawPath}, the request path after the handler's context path.
     *
     * @throws UploadError 400 for a path that is no file name in the upload directory, 403 for a reserved name
     */
    static List<String> segments(String rawPath) throws UploadError {
        if (rawPath == null || !rawPath.startsWith("/") || rawPath.length() == 1) {
            throw UploadError.invalid("the path '" + rawPath + "' names no file");
        }
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.substring(1).split("/", -1)) {
            if (raw.isEmpty()) {
                throw UploadError.invalid("the path '" + rawPath + "' has an empty segment or names a directory");
            }
            String name = decode(raw, rawPath);
            checkName(name, rawPath);
            segments.add(name);
        }
        return List.copyOf(segments);
    }

    /**
     * Checks path segments that were decoded already (a stored session's destination) by the rules of
     * {@link #segments}, without decoding them again: a name that held {@code %2F} when it was decoded is one segment
     * named {@code x%2F..}, never two.
     *
     * @throws UploadError as {@link #segments} does
     */
    static void checkSegments(List<String> decoded) throws UploadError {
        if (decoded.isEmpty()) {
            throw UploadError.invalid("the path names no file");
        }
        String shown = "/" + String.join("/", decoded);
        for (String name : decoded) {
            if (name.isEmpty()) {
                throw UploadError.invalid("the path '" + shown + "' has an empty segment or names a directory");
            }
            checkName(name, shown);
        }
    }

    private static void checkName(String name, String rawPath) throws UploadError {
        if (name.equals(".") || name.equals("..")) {
            throw UploadError.invalid("the path '" + rawPath + "' leaves its directory");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == ':') {
                throw UploadError.invalid("the path '" + rawPath + "' has a forbidden character (code "
                        + (int) c + ")");
            }
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
            throw UploadError.invalid("the path '" + rawPath + "' has a name longer than " + MAX_SEGMENT_BYTES
                    + " bytes");
        }
        if (name.toLowerCase(Locale.ROOT).startsWith(RESERVED_PREFIX)) {
            throw UploadError.accessDenied(403, "the path '" + rawPath + "' uses a name reserved for the server");
        }
    }

    /** Strict percent-decoding: malformed escapes and invalid UTF-8 are refused, '+' stays '+'. */
    private static String decode(String raw, String rawPath) throws UploadError {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw UploadError.invalid("the path '" + rawPath + "' has a malformed escape");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw UploadError.invalid("the path '" + rawPath + "' is not UTF-8");
        }
    }

    /** The destination as a path below the upload directory (lexically; for messages and notification). */
    Path destination(List<String> segments) {
        Path path = root;
        for (String segment : segments) {
            path = path.resolve(segment);
        }
        return path;
    }

    /**
     * Checks at Create-Session that an upload to {@code segments} could be stored.
     *
     * @throws UploadError 403 when the path leads out through a symlink, 400 when it names a directory, 409 when
     *     the file exists and overwrites are not allowed
     */
    void checkWritable(List<String> segments, boolean allowOverwrite) throws UploadError, IOException {
        Path parent = walk(segments, false);
        if (parent != null) {
            checkDestination(parent.resolve(segments.getLast()), allowOverwrite, 409);
        }
    }

    /**
     * Moves the finished upload {@code source} to its destination in one rename, creating missing directories,
     * and makes the rename durable. Without {@code allowOverwrite}, an existing file is never replaced.
     *
     * @throws UploadError 403 when the destination exists (and may not be replaced) or leads out
     */
    Path publish(Path source, List<String> segments, boolean allowOverwrite) throws UploadError, IOException {
        Path parent = walk(segments, true);
        Path destination = parent.resolve(segments.getLast());
        checkDestination(destination, allowOverwrite, 403);
        if (allowOverwrite) {
            Files.move(source, destination, StandardCopyOption.ATOMIC_MOVE);
        } else {
            publishWithoutReplacing(source, destination);
        }
        SessionStore.fsyncSharedDirectory(parent);
        return destination;
    }

    /** link(2) fails if the name exists, which rename(2) does not: the no-overwrite rule holds even in a race. */
    private static void publishWithoutReplacing(Path source, Path destination) throws UploadError, IOException {
        try {
            Files.createLink(destination, source);
            Files.delete(source);
        } catch (FileAlreadyExistsException e) {
            throw UploadError.accessDenied(403, "the file " + destination + " exists and may not be replaced");
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (e instanceof NoSuchFileException) {
                throw (NoSuchFileException) e;
            }
            // A file system without hard links: check, then rename (a narrow race, documented).
            if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
                throw UploadError.accessDenied(403, "the file " + destination + " exists and may not be replaced");
            }
            Files.move(source, destination, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void checkDestination(Path destination, boolean allowOverwrite, int existsStatus)
            throws UploadError, IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(destination, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (attributes.isSymbolicLink()) {
            throw UploadError.accessDenied(403, "the destination " + destination + " is a symbolic link");
        }
        if (attributes.isDirectory()) {
            throw UploadError.invalid("the URL maps to the directory " + destination);
        }
        if (!allowOverwrite) {
            throw UploadError.accessDenied(existsStatus, "the file " + destination + " exists and may not be replaced");
        }
    }

    /**
     * Walks the directories above the destination and returns the real path of its parent, refusing any step that
     * leads out of the upload directory or into the session directory. Missing directories are created when
     * {@code create} is set; otherwise the walk stops there and returns null.
     */
    private Path walk(List<String> segments, boolean create) throws UploadError, IOException {
        Path directory = root;
        for (String segment : segments.subList(0, segments.size() - 1)) {
            Path next = directory.resolve(segment);
            if (create && !Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(next);
                } catch (FileAlreadyExistsException e) {
                    // Created meanwhile by another upload: checked below like any existing entry.
                }
            }
            if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            Path real;
            try {
                real = next.toRealPath();
            } catch (NoSuchFileException e) {
                throw UploadError.accessDenied(403, "the path " + next + " is a dangling symbolic link");
            }
            if (!real.startsWith(root) || real.startsWith(sessionRoot)) {
                throw UploadError.accessDenied(403, "the path " + next + " leads out of the upload directory");
            }
            if (!Files.isDirectory(real)) {
                throw UploadError.invalid("the path " + next + " is a file, not a directory");
            }
            directory = real;
        }
        return directory;
    }
}
