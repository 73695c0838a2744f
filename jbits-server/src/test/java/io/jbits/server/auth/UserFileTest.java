package io.jbits.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

class UserFileTest {

    /** Written by {@code htpasswd -nbB alice 'open sesame'} (apache2-utils 2.4). */
    static final String ALICE = "alice:$2y$05$LN7PErC3Q7MA79KQW/2kku8G/4Xjyk9Lwkq/TVohMf7p9qiPrk3du";

    @TempDir
    Path dir;

    /** An htpasswd line for {@code user} with a bcrypt hash of {@code password} (cost 4: fast tests). */
    static String entry(String user, String password) {
        return user + ":" + BCrypt.hashpw(password, BCrypt.gensalt(4)).replace("$2a$", "$2y$");
    }

    @Test
    void anHtpasswdBcryptEntryChecksItsPasswordOnly() throws Exception {
        Path file = Files.writeString(dir.resolve("users"), "# uploaders\n\n" + ALICE + "\n"
                + entry("bob", "builder") + "\n");
        UserFile users = UserFile.load(file);

        assertEquals(2, users.size());
        assertTrue(users.check("alice", "open sesame"));
        assertTrue(users.check("alice", "open sesame"), "remembered, and still right");
        assertFalse(users.check("alice", "open sesame!"));
        assertFalse(users.check("Alice", "open sesame"), "names are case-sensitive, as in Apache");
        assertTrue(users.check("bob", "builder"));
        assertFalse(users.check("bob", "open sesame"));
        assertFalse(users.check("nobody", "builder"));
        assertFalse(users.check("bob", "x".repeat(100)), "over bcrypt's 72 bytes matches nothing");
    }

    @Test
    void weakOrMalformedEntriesAreRefusedWithTheirLine() throws Exception {
        Path md5 = Files.writeString(dir.resolve("md5"), ALICE + "\nbob:$apr1$Vw4PhQ9P$7zL3l0Y8lFvS0RgGmZr2Y/\n");
        Path sha = Files.writeString(dir.resolve("sha"), "carol:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n");
        Path twice = Files.writeString(dir.resolve("twice"), ALICE + "\n" + ALICE + "\n");
        Path noColon = Files.writeString(dir.resolve("nocolon"), "just a name\n");

        assertMessage(md5, "md5 line 2", "not a bcrypt hash");
        assertMessage(sha, "sha line 1", "htpasswd -B");
        assertMessage(twice, "twice line 2", "listed twice");
        assertMessage(noColon, "nocolon line 1", "not 'user:hash'");
    }

    private static void assertMessage(Path file, String... fragments) {
        IOException e = assertThrows(IOException.class, () -> UserFile.load(file));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), e.getMessage());
        }
    }

    @Test
    void aReloadTakesTheNewUsersAndABrokenFileKeepsTheOldOnes() throws Exception {
        Path file = Files.writeString(dir.resolve("users"), ALICE + "\n");
        UserFile users = UserFile.load(file);

        Files.writeString(file, entry("bob", "builder") + "\n");
        assertTrue(users.reload());
        assertTrue(users.check("bob", "builder"));
        assertFalse(users.check("alice", "open sesame"), "a user removed from the file is out");

        Files.writeString(file, "bob:plaintext\n");
        assertFalse(users.reload());
        assertTrue(users.check("bob", "builder"), "the users read before stay");
    }
}
