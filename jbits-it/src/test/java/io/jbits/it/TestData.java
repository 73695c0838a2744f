package io.jbits.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Seeded pseudo-random test files and their SHA-256, so every test compares bytes, not only states. */
final class TestData {
    static final int MIB = 1 << 20;

    private TestData() {
    }

    /** The bytes of a seeded random file, for files small enough to hold in memory. */
    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    /** Writes {@code sizeBytes} seeded pseudo-random bytes to {@code file}; every 1 MiB block differs. */
    static Path randomFile(Path file, long sizeBytes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[MIB];
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                for (long left = sizeBytes; left > 0; left -= block.length) {
                    random.nextBytes(block);
                    out.write(block, 0, (int) Math.min(left, block.length));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /**
     * Replaces {@code file} by new random content in one rename, as a web site publishes a new version: the open
     * descriptor of a response in flight keeps the old bytes, the next request sees the new ones.
     */
    static void replaceAtomically(Path file, long sizeBytes, long seed) {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        randomFile(next, sizeBytes, seed);
        try {
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + next + " to " + file, e);
        }
    }

    /** The SHA-256 of a file, in lower-case hex. */
    static String sha256(Path file) {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[MIB];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The SHA-256 of bytes, in lower-case hex. */
    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
