package io.jbits.server.upload;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.server.AccessLog;
import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import io.jbits.server.auth.BasicAuthHandler;
import io.jbits.server.auth.UserFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

class AccessLogTest {

    @TempDir
    Path dir;

    @Test
    void eachRequestIsLoggedWithItsUserAndSessionAndNeverThePassword() throws Exception {
        Path uploads = Files.createDirectories(dir.resolve("uploads"));
        Path users = Files.writeString(dir.resolve("users"), "ann:" + BCrypt.hashpw("s3cret-pw", BCrypt.gensalt(4))
                + "\n");
        Path log = dir.resolve("access.log");
        String id;
        try (FileServer server = FileServer.builder(new ServeConfig(Files.createDirectories(dir.resolve("served")),
                "127.0.0.1", 0)).handler(new BitsUploadHandler(UploadConfig.of(uploads)))
                .authentication(new BasicAuthHandler(UserFile.load(users), true, Duration.ofSeconds(5)))
                .accessLog(AccessLog.toFile(log)).start();
                BitsWire wire = new BitsWire(server.port())
                        .always(AuthenticatedUploadsTest.basic("ann", "s3cret-pw"))) {
            id = wire.createSession("/logged.bin");
            wire.fragment("/logged.bin", id, new byte[10], 0, 10);
            wire.close("/logged.bin", id);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(log) && Files.readAllLines(log).size() >= 3);
        List<String> lines = Files.readAllLines(log);
        String created = lines.getFirst();
        assertTrue(created.matches("127\\.0\\.0\\.1 - ann \\[[^]]+\\] \"BITS_POST /logged\\.bin HTTP/1\\.1\" 200 0 "
                + "\"\" \"\" Create-Session \\{[0-9A-F-]{36}\\} \\d+ms"), created);
        assertTrue(lines.stream().allMatch(l -> l.contains(id)), String.join("\n", lines));
        assertFalse(String.join("\n", lines).contains("s3cret"), "no password");
        assertFalse(String.join("\n", lines).contains(java.util.Base64.getEncoder().encodeToString(
                "ann:s3cret-pw".getBytes())), "no Authorization header");
    }
}
