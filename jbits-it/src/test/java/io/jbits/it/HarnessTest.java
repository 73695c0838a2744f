package io.jbits.it;

import io.jbits.it.FaultyServer.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test servers themselves behave as the end-to-end tests assume (checked with the JDK's HTTP client). */
@Tag("e2e")
class HarnessTest {
    @TempDir
    Path data;
    private Nginx nginx;
    private FaultyServer faulty;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws IOException {
        if (nginx != null) {
            nginx.close();
        }
        if (faulty != null) {
            faulty.close();
        }
        http.close();
    }

    @Test
    void nginxServesRangesEverywhereButNorangeAndLogsTheBodyBytes() throws Exception {
        Path file = TestData.randomFile(data.resolve("a.bin"), 300_000, 1);
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        nginx = Nginx.start(data, "20m");

        HttpResponse<byte[]> whole = get("/a.bin", null);
        assertEquals(200, whole.statusCode());
        assertArrayEquals(bytes, whole.body());
        assertTrue(whole.headers().firstValue("ETag").orElse("").startsWith("\""), "strong ETag");

        HttpResponse<byte[]> tail = get("/slow/a.bin", "bytes=100000-");
        assertEquals(206, tail.statusCode());
        assertArrayEquals(Arrays.copyOfRange(bytes, 100_000, bytes.length), tail.body());

        HttpResponse<byte[]> ignored = get("/norange/a.bin", "bytes=100000-");
        assertEquals(200, ignored.statusCode(), "max_ranges 0 answers a Range request with the whole file");
        assertEquals(bytes.length, ignored.body().length);

        HttpResponse<byte[]> noEtag = get("/noetag/a.bin", null);
        assertTrue(noEtag.headers().firstValue("ETag").isEmpty(), "no ETag under /noetag/");
        assertTrue(noEtag.headers().firstValue("Last-Modified").isPresent(), "Last-Modified under /noetag/");

        await().until(() -> nginx.log().size() >= 4);
        assertEquals(bytes.length, nginx.bodyBytesSent("/a.bin"));
        assertEquals(bytes.length - 100_000L, nginx.bodyBytesSent("/slow/a.bin"));
        assertEquals("bytes=100000-", nginx.requests("/slow/a.bin").getFirst().range());
    }

    @Test
    void theFaultyServerPlaysItsFaultsThenServesCorrectly() throws Exception {
        byte[] bytes = TestData.randomBytes(1_000_000, 2);
        faulty = FaultyServer.start(bytes, List.of(Fault.SERVICE_UNAVAILABLE, Fault.RESET_MID_BODY));

        assertEquals(503, send(faulty.url("x"), null).statusCode());
        assertThrows(IOException.class, () -> send(faulty.url("x"), null), "the body is cut by a reset");
        HttpResponse<byte[]> rest = send(faulty.url("x"), "bytes=400000-");
        assertEquals(206, rest.statusCode());
        assertArrayEquals(Arrays.copyOfRange(bytes, 400_000, bytes.length), rest.body());
        assertEquals("bytes 400000-999999/1000000", rest.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(bytes, send(faulty.url("x"), null).body());
        assertEquals(0, faulty.faultsLeft());
    }

    private HttpResponse<byte[]> get(String path, String range) throws Exception {
        return send(nginx.url(path), range);
    }

    private HttpResponse<byte[]> send(String url, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (range != null) {
            request.header("Range", range);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
