package io.jbits.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthHandlerTest {

    @TempDir
    Path dir;

    private final TestHttp http = new TestHttp();

    @Test
    void healthzAnswersOkAndNothingElse() throws Exception {
        try (FileServer server = FileServer.start(new ServeConfig(dir, "127.0.0.1", 0))) {
            HttpResponse<byte[]> get = http.get(server.baseUri().resolve("healthz"));
            HttpResponse<byte[]> head = http.head(server.baseUri().resolve("healthz"));

            assertEquals(200, get.statusCode());
            assertEquals("ok\n", new String(get.body(), StandardCharsets.UTF_8));
            assertEquals("no-store", get.headers().firstValue("Cache-Control").orElseThrow());
            assertEquals(200, head.statusCode());
            assertEquals(0, head.body().length);
        }
    }

    @Test
    void otherMethodsAndPathsPassToTheFiles() throws Exception {
        Files.writeString(dir.resolve("healthz.txt"), "a file");
        try (FileServer server = FileServer.start(new ServeConfig(dir, "127.0.0.1", 0))) {
            assertEquals("a file", new String(http.get(server.baseUri().resolve("healthz.txt")).body(),
                    StandardCharsets.UTF_8));
            assertEquals(404, http.get(server.baseUri().resolve("healthz/x")).statusCode());
            assertEquals(404, http.send("DELETE", server.baseUri().resolve("healthz")).statusCode(), "no such file");
        }
    }
}
