package io.jbits.server.upload;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import io.jbits.server.auth.BasicAuthHandler;
import io.jbits.server.auth.UserFile;
import io.jbits.server.config.ConfiguredDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** Two directories of a configuration file with different limits and users, and a reload during an upload. */
class ConfiguredDirectoriesTest {

    private static final String TWO_DIRECTORIES = """
            directories:
              - url: /small
                path: small
                max-upload-size: %s
                users: [alice]
              - url: /big
                path: big
            """;

    @TempDir
    Path dir;

    private Path config;
    private ConfiguredDirectories directories;
    private FileServer server;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(dir.resolve("small"));
        Files.createDirectories(dir.resolve("big"));
        config = Files.writeString(dir.resolve("serve.yaml"), TWO_DIRECTORIES.formatted("1000"));
        Path users = Files.writeString(dir.resolve("users"), "alice:" + BCrypt.hashpw("a", BCrypt.gensalt(4))
                + "\nbob:" + BCrypt.hashpw("b", BCrypt.gensalt(4)) + "\n");
        directories = ConfiguredDirectories.load(config, UploadEvents.NONE, Duration.ofSeconds(1));
        server = FileServer.builder(new ServeConfig(Files.createDirectories(dir.resolve("served")), "127.0.0.1", 0))
                .handler(directories)
                .handler(BitsUploadHandler.uploadsDisabled())
                .authentication(new BasicAuthHandler(UserFile.load(users), true, Duration.ofSeconds(5)))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private BitsWire wire(String user, String password) throws Exception {
        return new BitsWire(server.port()).always(AuthenticatedUploadsTest.basic(user, password));
    }

    @Test
    void eachDirectoryHasItsOwnLimitsUsersAndPlace() throws Exception {
        try (BitsWire alice = wire("alice", "a"); BitsWire bob = wire("bob", "b")) {
            String tooBig = alice.createSession("/small/a.bin");
            BitsWire.Reply refused = alice.fragment("/small/a.bin", tooBig, new byte[2000], 0, 2000);
            alice.upload("/small/ok.bin", new byte[1000], 500);
            bob.upload("/big/b.bin", new byte[2000], 500);
            BitsWire.Reply notBobs = bob.create("/small/b.bin");

            assertEquals(500, refused.status());
            assertEquals("0x80200020", refused.header("BITS-Error-Code"), "BG_E_TOO_LARGE");
            assertTrue(Files.isRegularFile(dir.resolve("small/ok.bin")));
            assertTrue(Files.isRegularFile(dir.resolve("big/b.bin")));
            assertEquals(403, notBobs.status(), "bob is not among /small's users");
            assertEquals(501, bob.create("/elsewhere/x.bin").status(), "no upload directory there");
        }
    }

    @Test
    void aReloadDuringAnUploadKeepsItsSessionAndAppliesTheNewLimits() throws Exception {
        byte[] data = TestData.randomBytes(3000, 4);
        try (BitsWire alice = wire("alice", "a")) {
            String id = alice.createSession("/big/during.bin");
            assertEquals(200, alice.fragment("/big/during.bin", id, data, 0, 1500).status());

            Files.writeString(config, TWO_DIRECTORIES.formatted("5000"));
            assertTrue(directories.reload());

            assertEquals(200, alice.fragment("/big/during.bin", id, data, 1500, 1500).status());
            assertEquals(200, alice.close("/big/during.bin", id).status());
            assertArrayEquals(data, Files.readAllBytes(dir.resolve("big/during.bin")));
            alice.upload("/small/now-allowed.bin", data, 1000);
        }
    }

    @Test
    void aBrokenFileKeepsTheConfigurationInUseAndAFixedOneIsPickedUpByItself() throws Exception {
        Files.writeString(config, "directories:\n  - url: /small\n    pathh: small\n");
        assertFalse(directories.reload());

        try (BitsWire alice = wire("alice", "a")) {
            assertEquals(500, alice.fragment("/small/x.bin", alice.createSession("/small/x.bin"), new byte[2000], 0,
                    2000).status(), "the old limit of 1000 bytes stays");

            Files.writeString(config, TWO_DIRECTORIES.formatted("4k") + """
                      - url: /third
                        path: big
                        session-dir: third-sessions
                    """);
            await("the fixed file is read").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> directories.urlPrefixes().contains("/third"));
            alice.upload("/third/t.bin", new byte[10], 5);
            alice.upload("/small/y.bin", new byte[2000], 1000);
            assertTrue(Files.isRegularFile(dir.resolve("big/t.bin")));
        }
    }
}
