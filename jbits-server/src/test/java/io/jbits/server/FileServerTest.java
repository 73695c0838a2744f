package io.jbits.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileServerTest {

    private static final int SIZE = 1 << 20;
    private static final String SECRET = "secret outside the root";

    @TempDir
    Path temp;

    private Path root;
    private byte[] content;
    private FileServer server;
    private final TestHttp http = new TestHttp();

    @BeforeEach
    void startServer() throws IOException {
        root = Files.createDirectories(temp.resolve("root"));
        content = TestHttp.randomBytes(SIZE, 1);
        Files.write(root.resolve("data.bin"), content);
        Files.writeString(temp.resolve("secret.txt"), SECRET);
        server = FileServer.start(new ServeConfig(root, "127.0.0.1", 0));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void getReturnsTheWholeFileWithItsLength() throws Exception {
        HttpResponse<byte[]> response = http.get(uri("/data.bin"));

        assertEquals(200, response.statusCode());
        assertEquals(TestHttp.sha256(content), TestHttp.sha256(response.body()));
        assertEquals(String.valueOf(SIZE), header(response, "Content-Length"));
        assertEquals("bytes", header(response, "Accept-Ranges"));
        assertTrue(response.headers().firstValue("Last-Modified").isPresent());
    }

    @Test
    void headGivesTheLengthAndNoBody() throws Exception {
        HttpResponse<byte[]> response = http.head(uri("/data.bin"));

        assertEquals(200, response.statusCode());
        assertEquals(String.valueOf(SIZE), header(response, "Content-Length"));
        assertEquals(0, response.body().length);
        assertTrue(response.headers().firstValue("ETag").isPresent());
    }

    @Test
    void anOpenEndedRangeGivesTheRestOfTheFile() throws Exception {
        HttpResponse<byte[]> response = http.get(uri("/data.bin"), "Range", "bytes=100-");

        assertEquals(206, response.statusCode());
        assertEquals("bytes 100-" + (SIZE - 1) + "/" + SIZE, header(response, "Content-Range"));
        assertEquals(String.valueOf(SIZE - 100), header(response, "Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(content, 100, SIZE), response.body());
    }

    @Test
    void aClosedRangeGivesExactlyThoseBytes() throws Exception {
        HttpResponse<byte[]> response = http.get(uri("/data.bin"), "Range", "bytes=0-99");

        assertEquals(206, response.statusCode());
        assertEquals("bytes 0-99/" + SIZE, header(response, "Content-Range"));
        assertEquals("100", header(response, "Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(content, 0, 100), response.body());
    }

    @Test
    void aRangeBeyondTheEndIsUnsatisfiable() throws Exception {
        HttpResponse<byte[]> response = http.get(uri("/data.bin"), "Range", "bytes=" + SIZE + "-");

        assertEquals(416, response.statusCode());
        assertEquals("bytes */" + SIZE, header(response, "Content-Range"));
    }

    @Test
    void aMissingFileIsNotFound() throws Exception {
        assertEquals(404, http.get(uri("/nothing-here.bin")).statusCode());
    }

    @Test
    void directoriesAreNotListed() throws Exception {
        Files.writeString(Files.createDirectories(root.resolve("sub")).resolve("a.txt"), "a");

        for (String path : List.of("/", "/sub/")) {
            HttpResponse<byte[]> response = http.get(uri(path));
            assertNotEquals(200, response.statusCode(), path);
            assertFalse(new String(response.body(), StandardCharsets.UTF_8).contains("a.txt"), path);
        }
    }

    @Test
    void pathsThatClimbOutOfTheRootGetNothingFromOutside() throws Exception {
        Files.createDirectories(root.resolve("sub"));
        List<String> attempts = List.of("/../secret.txt", "/sub/../../secret.txt", "/%2e%2e/secret.txt",
                "/sub/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt", "/../etc/passwd",
                "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd");

        for (String path : attempts) {
            HttpResponse<byte[]> response = http.get(uri(path));
            String body = new String(response.body(), StandardCharsets.UTF_8);
            assertTrue(response.statusCode() >= 400, path + " gave " + response.statusCode());
            assertFalse(body.contains(SECRET) || body.contains("root:"), path + " leaked: " + body);
        }
    }

    @Test
    void aSymlinkOutOfTheRootIsRefusedAndOneInsideIsServed() throws Exception {
        Files.createSymbolicLink(root.resolve("escape.txt"), temp.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("alias.bin"), root.resolve("data.bin"));

        HttpResponse<byte[]> escape = http.get(uri("/escape.txt"));
        assertEquals(404, escape.statusCode());
        assertFalse(new String(escape.body(), StandardCharsets.UTF_8).contains(SECRET));
        HttpResponse<byte[]> alias = http.get(uri("/alias.bin"));
        assertEquals(200, alias.statusCode());
        assertEquals(TestHttp.sha256(content), TestHttp.sha256(alias.body()));
    }

    @Test
    void aHundredMebibyteFileStreamsIntact() throws Exception {
        Path big = root.resolve("big.iso");
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(big), digest)) {
            for (int chunk = 0; chunk < 100; chunk++) {
                out.write(TestHttp.randomBytes(1 << 20, 1_000 + chunk));
            }
        }

        assertEquals(HexFormat.of().formatHex(digest.digest()), http.streamSha256(uri("/big.iso")));
    }

    @Test
    void handlersAddedThroughTheBuilderSeeRequestsBeforeTheFiles() throws Exception {
        Handler bitsPost = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (!"BITS_POST".equals(request.getMethod())) {
                    return false;
                }
                response.setStatus(200);
                response.getHeaders().put("BITS-Packet-Type", "Ack");
                callback.succeeded();
                return true;
            }
        };
        try (FileServer withUploads = FileServer.builder(new ServeConfig(root, "127.0.0.1", 0))
                .handler(bitsPost).start()) {
            URI base = withUploads.baseUri();

            HttpResponse<byte[]> post = http.send("BITS_POST", base.resolve("upload.bin"));
            assertEquals(200, post.statusCode());
            assertEquals("Ack", header(post, "BITS-Packet-Type"));
            assertEquals(TestHttp.sha256(content), TestHttp.sha256(http.get(base.resolve("data.bin")).body()));
        }
    }

    @Test
    void aPortInUseFailsWithTheAddressInTheMessage() {
        ServeConfig taken = new ServeConfig(root, "127.0.0.1", server.port());

        IOException failure = assertThrows(IOException.class, () -> FileServer.start(taken));

        assertTrue(failure.getMessage().contains("127.0.0.1:" + server.port()), failure.getMessage());
    }

    @Test
    void theBaseUriNamesTheBoundPort() {
        assertEquals(URI.create("http://127.0.0.1:" + server.port() + "/"), server.baseUri());
        assertTrue(server.port() > 0);
    }

    private URI uri(String rawPath) {
        return URI.create("http://127.0.0.1:" + server.port() + rawPath);
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }
}
