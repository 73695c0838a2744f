package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import io.jbits.server.auth.BasicAuthHandler;
import io.jbits.server.auth.UserFile;
import io.jbits.server.config.ConfiguredDirectories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** {@code {user}} in the upload path: each user's uploads land below their own directory, and there only. */
class UploadsByUserTest {

    @TempDir
    Path dir;

    private Path uploads;
    private FileServer server;

    @BeforeEach
    void start() throws IOException {
        uploads = Files.createDirectories(dir.resolve("uploads"));
        StringBuilder users = new StringBuilder();
        for (String name : List.of("alice", "bob", "..", ".hidden", "a\\b", "x%2F..")) {
            users.append(name).append(':').append(BCrypt.hashpw("pw", BCrypt.gensalt(4))).append('\n');
        }
        Path usersFile = Files.writeString(dir.resolve("users"), users);
        BitsUploadHandler handler = new BitsUploadHandler(UploadConfig.of(uploads));
        handler.storeByUser(UserPath.of(uploads + "/{user}/incoming"));
        server = FileServer.builder(new ServeConfig(Files.createDirectories(dir.resolve("served")), "127.0.0.1", 0))
                .handler(handler)
                .authentication(new BasicAuthHandler(UserFile.load(usersFile), true, Duration.ofSeconds(5)))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private BitsWire wire(String user) throws IOException {
        return new BitsWire(server.port()).always(AuthenticatedUploadsTest.basic(user, "pw"));
    }

    @Test
    void eachUsersUploadLandsInTheirOwnDirectory() throws Exception {
        byte[] a = "alice's".getBytes(StandardCharsets.UTF_8);
        byte[] b = "bob's".getBytes(StandardCharsets.UTF_8);
        try (BitsWire alice = wire("alice"); BitsWire bob = wire("bob")) {
            alice.upload("/logs/app.log", a, 4);
            bob.upload("/logs/app.log", b, 4);
        }

        assertArrayEquals(a, Files.readAllBytes(uploads.resolve("alice/incoming/logs/app.log")));
        assertArrayEquals(b, Files.readAllBytes(uploads.resolve("bob/incoming/logs/app.log")));
        assertFalse(Files.exists(uploads.resolve("logs")), "nothing lands in the shared directory");
    }

    @Test
    void aUserNameThatIsNoPlainDirectoryNameIsDeniedAndLeavesNothing() throws Exception {
        for (String user : List.of("..", ".hidden", "a\\b")) {
            try (BitsWire wire = wire(user)) {
                BitsWire.Reply refused = wire.create("/x.bin");
                BitsWire.Reply ping = wire.ping("/x.bin");

                assertEquals(403, refused.status(), user);
                assertEquals("0x80070005", refused.header("BITS-Error-Code"), "E_ACCESSDENIED for " + user);
                assertEquals(200, ping.status(), "only the destination needs the name: " + user);
            }
        }
        try (Stream<Path> left = Files.list(uploads)) {
            assertEquals(List.of(uploads.resolve(UploadConfig.DEFAULT_SESSION_DIR_NAME)), left.toList());
        }
        assertFalse(Files.exists(dir.resolve("x.bin")));
    }

    @Test
    void anEncodedSlashInTheNameStaysOneSegment() throws Exception {
        try (BitsWire wire = wire("x%2F..")) {
            wire.upload("/y.bin", new byte[] {1, 2}, 2);
        }

        assertTrue(Files.isRegularFile(uploads.resolve("x%2F../incoming/y.bin")));
    }

    @Test
    void aConfiguredDirectoryStoresByUserToo() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Path config = Files.writeString(dir.resolve("serve.yaml"), """
                directories:
                  - url: /home
                    path: shared/{user}
                """);
        Path usersFile = Files.writeString(dir.resolve("users2"), "alice:" + BCrypt.hashpw("pw", BCrypt.gensalt(4))
                + "\n");
        try (FileServer configured = FileServer.builder(new ServeConfig(dir.resolve("served"), "127.0.0.1", 0))
                .handler(ConfiguredDirectories.load(config, UploadEvents.NONE, Duration.ofSeconds(5), true))
                .authentication(new BasicAuthHandler(UserFile.load(usersFile), true, Duration.ofSeconds(5)))
                .start();
                BitsWire alice = new BitsWire(configured.port()).always(AuthenticatedUploadsTest.basic("alice",
                        "pw"))) {
            alice.upload("/home/a.txt", new byte[] {7}, 1);
        }

        assertArrayEquals(new byte[] {7}, Files.readAllBytes(shared.resolve("alice/a.txt")));
    }

    @Test
    void aTemplateSplitsIntoTheDirectoryAndTheUsersPart() {
        assertEquals("/srv/uploads", UserPath.uploadDirOf("/srv/uploads/{user}"));
        assertEquals("/srv/uploads", UserPath.uploadDirOf("/srv/uploads/{user}/in"));
        assertEquals(".", UserPath.uploadDirOf("{user}"));
        assertEquals("/srv/plain", UserPath.uploadDirOf("/srv/plain"));
        assertEquals(List.of("{user}", "in"), UserPath.of("/srv/uploads/{user}/in").segments());
        assertFalse(UserPath.of("/srv/plain").byUser());
        assertThrows(IllegalArgumentException.class, () -> UserPath.of("/srv/home-{user}"));
        assertThrows(IllegalArgumentException.class, () -> UserPath.of("/srv/{user}/../etc"));
        assertThrows(IllegalArgumentException.class, () -> UserPath.of("/srv/{user}/.jbits-sessions"));
    }
}
