package io.jbits.server.auth;

import io.jbits.server.FileWatch;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.util.Scanner;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Checks user names and passwords against an htpasswd file (bcrypt, Spring Security's implementation), and reads
 * the file again when it changes; a changed file that cannot be read is reported and the users before it stay.
 *
 * <p>bcrypt is slow on purpose, and a BITS client sends its credentials with every fragment: a password that
 * checked out is remembered (as a salted SHA-256 of user, password and stored hash, never the password itself) in
 * a small bounded table, so only new or changed credentials cost a bcrypt round.
 */
public final class UserFile {

    private static final System.Logger LOG = System.getLogger(UserFile.class.getName());

    private static final int MAX_REMEMBERED = 1024;

    /** Checked for unknown users, so that their answer takes as long as a wrong password's. */
    private static final String DUMMY_HASH = BCrypt.hashpw("jbits-unknown-user", BCrypt.gensalt(5));

    private final Path file;
    private final byte[] salt = new byte[16];
    private final Set<String> verified = Collections.newSetFromMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_REMEMBERED;
        }
    });
    private volatile Htpasswd users;

    private UserFile(Path file, Htpasswd users) {
        this.file = file;
        this.users = users;
        new SecureRandom().nextBytes(salt);
    }

    /**
     * Reads the users of {@code file}.
     *
     * @throws IOException when the file is unreadable or has an entry that is not bcrypt (naming its line)
     */
    public static UserFile load(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Htpasswd users = Htpasswd.read(absolute);
        LOG.log(Level.INFO, "Read {0} user(s) from {1}", Integer.toString(users.hashes().size()), absolute);
        return new UserFile(absolute, users);
    }

    /** The file the users come from. */
    public Path file() {
        return file;
    }

    /** How many users the file lists now. */
    public int size() {
        return users.hashes().size();
    }

    /** True when {@code user} is listed with {@code password}. */
    public boolean check(String user, String password) {
        String hash = users.hashOf(user);
        if (hash == null) {
            checkQuietly(password, DUMMY_HASH);
            return false;
        }
        String key = fingerprint(user, password, hash);
        synchronized (verified) {
            if (verified.contains(key)) {
                return true;
            }
        }
        if (!checkQuietly(password, hash)) {
            return false;
        }
        synchronized (verified) {
            verified.add(key);
        }
        return true;
    }

    private static boolean checkQuietly(String password, String hash) {
        try {
            return BCrypt.checkpw(password, hash);
        } catch (IllegalArgumentException e) {
            // A password bcrypt cannot take (over 72 bytes) matches nothing.
            return false;
        }
    }

    /** Reads the file again; on failure the users before stay. */
    boolean reload() {
        try {
            users = Htpasswd.read(file);
            LOG.log(Level.INFO, "Read {0} user(s) from {1} again", Integer.toString(users.hashes().size()), file);
            return true;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Keeping the users read before: {0}", e.getMessage());
            return false;
        }
    }

    /** A watch that reads the file again when it changes; runs as a bean of the server. */
    Scanner watch(Duration interval) {
        return FileWatch.of(List.of(file), interval, this::reload);
    }

    private String fingerprint(String user, String password, String hash) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt);
            for (String part : new String[] {user, password, hash}) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }
}
