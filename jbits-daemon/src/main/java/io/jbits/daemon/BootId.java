package io.jbits.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Tells whether the machine rebooted since the last run of the service on this state directory. Linux gives each
 * boot a random id ({@code /proc/sys/kernel/random/boot_id}); the service keeps the one it started under. Same
 * id: bytes written to temporary files after their last fsync are still in the page cache and can be kept. A new
 * id, or no way to tell (another OS): only checkpointed bytes are trusted.
 */
final class BootId {
    private static final Path KERNEL_BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    private BootId() {
    }

    /** Records this boot's id in {@code file} and returns whether the previous record named the same boot. */
    static boolean sameBootAsLastRun(Path file) {
        return sameBootAsLastRun(file, KERNEL_BOOT_ID);
    }

    /** As {@link #sameBootAsLastRun(Path)}, with the kernel's boot id read from {@code kernelBootId}. */
    static boolean sameBootAsLastRun(Path file, Path kernelBootId) {
        String current = read(kernelBootId);
        String previous = read(file);
        if (current == null) {
            return false;
        }
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, current + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            return false;
        }
        return current.equals(previous);
    }

    private static String read(Path p) {
        try {
            String s = Files.readString(p, StandardCharsets.US_ASCII).trim();
            return s.isEmpty() ? null : s;
        } catch (IOException e) {
            return null;
        }
    }
}
