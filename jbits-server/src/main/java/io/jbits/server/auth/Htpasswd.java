package io.jbits.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The users of an htpasswd file with bcrypt entries, as {@code htpasswd -B} (apache2-utils) writes them: one
 * {@code user:$2y$cost$salthash} a line; blank lines and {@code #} comments are skipped.
 *
 * @param hashes the bcrypt hash of each user's password, by user name
 */
record Htpasswd(Map<String, String> hashes) {

    /** bcrypt's modular crypt form: {@code $2a$}, {@code $2b$} or {@code $2y$}, a cost, then salt and hash. */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");

    Htpasswd {
        hashes = Map.copyOf(hashes);
    }

    /**
     * Reads {@code file}.
     *
     * @throws IOException naming the file and line of an entry that is not {@code user:bcrypt-hash} (MD5, SHA-1 and
     *     crypt entries among them: they are too weak to accept), or of a user listed twice
     */
    static Htpasswd read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, String> hashes = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String where = file + " line " + (i + 1) + ": ";
            if (colon <= 0) {
                throw new IOException(where + "not 'user:hash'");
            }
            String user = line.substring(0, colon);
            String hash = line.substring(colon + 1);
            if (!BCRYPT.matcher(hash).matches()) {
                throw new IOException(where + "the password of '" + user + "' is not a bcrypt hash (write it with "
                        + "htpasswd -B)");
            }
            if (hashes.put(user, hash) != null) {
                throw new IOException(where + "'" + user + "' is listed twice");
            }
        }
        return new Htpasswd(hashes);
    }

    /** The hash of {@code user}'s password, or null for an unknown user. */
    String hashOf(String user) {
        return hashes.get(user);
    }
}
