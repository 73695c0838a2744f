package io.jbits.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The dashboard's secret: 256 random bits as 64 hex digits, kept in the state directory in a file only its owner
 * may read (0600), so it outlives a restart of the service (a browser's cookie stays good) and no other user of
 * the machine can learn it.
 */
final class DashboardToken {
    /** The file's name in the state directory. */
    static final String FILE_NAME = "dashboard-token";
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{64}");

    private final byte[] value;

    private DashboardToken(String value) {
        this.value = value.getBytes(StandardCharsets.US_ASCII);
    }

    /** The token kept in {@code stateDir}, made (0600) when there is none or the file does not hold one. */
    static DashboardToken inStateDirectory(Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
            String kept = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (FORM.matcher(kept).matches()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                return new DashboardToken(kept);
            }
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String fresh = HexFormat.of().formatHex(random);
        /* Written to a private new file, then moved over: the secret never sits in a file others may read. */
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot make " + tmp + ": it appeared meanwhile", e);
        }
        Files.writeString(tmp, fresh + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new DashboardToken(fresh);
    }

    /** The token as text, for the owner's {@code jbits ui}. */
    String text() {
        return new String(value, StandardCharsets.US_ASCII);
    }

    /** Whether a presented value is the token; in time that does not depend on how much of it is right. */
    boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(value, presented.getBytes(StandardCharsets.US_ASCII));
    }
}
