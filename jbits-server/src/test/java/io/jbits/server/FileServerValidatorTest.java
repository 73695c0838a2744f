package io.jbits.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ETag, Last-Modified and the conditional headers a resuming client relies on. */
class FileServerValidatorTest {

    private static final int SIZE = 64 * 1024;
    private static final Instant MODIFIED = Instant.parse("2025-03-01T10:15:30Z");

    @TempDir
    Path root;

    private Path file;
    private byte[] content;
    private FileServer server;
    private final TestHttp http = new TestHttp();

    @BeforeEach
    void startServer() throws IOException {
        file = root.resolve("data.bin");
        content = TestHttp.randomBytes(SIZE, 7);
        Files.write(file, content);
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
        server = FileServer.start(new ServeConfig(root, "127.0.0.1", 0));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void theEtagIsStrong() throws Exception {
        String etag = etag();

        assertTrue(etag.startsWith("\"") && etag.endsWith("\""), etag);
        assertEquals("Sat, 01 Mar 2025 10:15:30 GMT", http.head(uri()).headers().firstValue("Last-Modified")
                .orElseThrow());
    }

    @Test
    void ifRangeWithTheCurrentEtagGivesTheRange() throws Exception {
        HttpResponse<byte[]> response = http.get(uri(), "Range", "bytes=100-", "If-Range", etag());

        assertEquals(206, response.statusCode());
        assertArrayEquals(Arrays.copyOfRange(content, 100, SIZE), response.body());
    }

    @Test
    void ifRangeWithAStaleEtagGivesTheWholeFile() throws Exception {
        HttpResponse<byte[]> response = http.get(uri(), "Range", "bytes=100-", "If-Range", "\"stale\"");

        assertEquals(200, response.statusCode());
        assertEquals(String.valueOf(SIZE), response.headers().firstValue("Content-Length").orElseThrow());
        assertArrayEquals(content, response.body());
    }

    @Test
    void ifRangeWithAWeakEtagGivesTheWholeFile() throws Exception {
        HttpResponse<byte[]> response = http.get(uri(), "Range", "bytes=100-", "If-Range", "W/" + etag());

        assertEquals(200, response.statusCode());
        assertArrayEquals(content, response.body());
    }

    @Test
    void ifRangeWithTheLastModifiedDateGivesTheRangeAndAnOtherDateTheWholeFile() throws Exception {
        HttpResponse<byte[]> same = http.get(uri(), "Range", "bytes=0-99", "If-Range",
                "Sat, 01 Mar 2025 10:15:30 GMT");
        HttpResponse<byte[]> older = http.get(uri(), "Range", "bytes=0-99", "If-Range",
                "Sat, 01 Mar 2025 10:15:29 GMT");

        assertEquals(206, same.statusCode());
        assertArrayEquals(Arrays.copyOfRange(content, 0, 100), same.body());
        assertEquals(200, older.statusCode());
        assertArrayEquals(content, older.body());
    }

    @Test
    void ifRangeThatIsNeitherEtagNorDateGivesTheWholeFile() throws Exception {
        HttpResponse<byte[]> response = http.get(uri(), "Range", "bytes=100-", "If-Range", "yesterday");

        assertEquals(200, response.statusCode());
        assertArrayEquals(content, response.body());
    }

    @Test
    void theEtagChangesWhenTheFileChanges() throws Exception {
        String before = etag();
        byte[] replacement = TestHttp.randomBytes(SIZE + 10, 8);
        Files.write(file, replacement);
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED.plusSeconds(2)));

        String after = etag();
        HttpResponse<byte[]> resumed = http.get(uri(), "Range", "bytes=100-", "If-Range", before);

        assertNotEquals(before, after);
        assertEquals(200, resumed.statusCode());
        assertArrayEquals(replacement, resumed.body());
    }

    @Test
    void theEtagChangesWhenTheFileIsRewrittenWithTheSameSizeAndSecond() throws Exception {
        String before = etag();
        Files.write(file, TestHttp.randomBytes(SIZE, 9));
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED.plusNanos(1_000)));

        assertNotEquals(before, etag());
    }

    @Test
    void ifNoneMatchWithTheCurrentEtagIsNotModified() throws Exception {
        HttpResponse<byte[]> response = http.get(uri(), "If-None-Match", etag());

        assertEquals(304, response.statusCode());
        assertEquals(0, response.body().length);
    }

    @Test
    void ifModifiedSinceTheLastModificationIsNotModified() throws Exception {
        HttpResponse<byte[]> notModified = http.get(uri(), "If-Modified-Since", "Sat, 01 Mar 2025 10:15:30 GMT");
        HttpResponse<byte[]> modified = http.get(uri(), "If-Modified-Since", "Sat, 01 Mar 2025 10:15:00 GMT");

        assertEquals(304, notModified.statusCode());
        assertEquals(200, modified.statusCode());
        assertFalse(modified.body().length == 0);
    }

    private String etag() throws Exception {
        return http.head(uri()).headers().firstValue("ETag").orElseThrow();
    }

    private URI uri() {
        return server.baseUri().resolve("data.bin");
    }
}
