package io.jbits.server.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BasicAuthHandlerTest {

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    private int get(URI uri, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void anAddressThatKeepsFailingIsRefusedEvenWithTheRightPassword() throws Exception {
        Path served = Files.createDirectories(dir.resolve("served"));
        Files.writeString(served.resolve("f.txt"), "x");
        Path users = Files.writeString(dir.resolve("users"), UserFileTest.ALICE + "\n");
        BasicAuthHandler auth = new BasicAuthHandler(UserFile.load(users), true, Duration.ofSeconds(5),
                new LoginThrottle.Policy(1, Duration.ofMillis(50), Duration.ofMillis(50), 3, Duration.ofMinutes(5),
                        Duration.ofMinutes(5), 100), Clock.systemUTC());
        try (FileServer server = FileServer.builder(new ServeConfig(served, "127.0.0.1", 0)).authentication(auth)
                .start()) {
            URI file = server.baseUri().resolve("f.txt");
            assertEquals(200, get(file, "alice", "open sesame"));
            for (int i = 0; i < 3; i++) {
                assertEquals(401, get(file, "alice", "guess " + i));
            }
            HttpResponse<Void> locked = client.send(HttpRequest.newBuilder(file).header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString("alice:open sesame".getBytes(StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.discarding());

            assertEquals(429, locked.statusCode());
            assertTrue(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow()) > 60);
            assertEquals(3, auth.refusals(BasicAuthHandler.Refusal.WRONG_PASSWORD));
            assertEquals(1, auth.refusals(BasicAuthHandler.Refusal.THROTTLED));
        }
    }

    @Test
    void basicCredentialsAreParsedLeniently() {
        String encoded = Base64.getEncoder().encodeToString("ann:pa:ss word".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new String[] {"ann", "pa:ss word"}, BasicAuthHandler.credentials("basic  " + encoded));
        assertNull(BasicAuthHandler.credentials("Bearer " + encoded));
        assertNull(BasicAuthHandler.credentials("Basic !!!"));
        assertNull(BasicAuthHandler.credentials("Basic " + Base64.getEncoder().encodeToString(":x".getBytes())));
        assertNull(BasicAuthHandler.credentials(null));
    }
}
