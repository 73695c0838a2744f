package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import io.jbits.server.auth.BasicAuthHandler;
import io.jbits.server.auth.UserFile;
import io.jbits.server.metrics.MetricsEndpoint;
import io.jbits.server.metrics.ServeMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** The metrics listener, scraped and parsed as Prometheus reads its text format, against the uploads done. */
class MetricsTest {

    /** A sample line: name, optional labels, value. */
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)");

    @TempDir
    Path dir;

    /** Every sample of a scrape by its name and labels as written, e.g. {@code x_total{result="ok"}}. */
    static Map<String, Double> scrape(URI uri) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "a sample line: " + line);
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
        return samples;
    }

    @Test
    void theCountersMatchTheUploadsDone() throws Exception {
        Path uploads = Files.createDirectories(dir.resolve("uploads"));
        Path users = Files.writeString(dir.resolve("users"), "ann:" + BCrypt.hashpw("pw", BCrypt.gensalt(4)) + "\n");
        ServeMetrics metrics = new ServeMetrics();
        BitsUploadHandler handler = new BitsUploadHandler(UploadConfig.of(uploads), metrics);
        BasicAuthHandler auth = new BasicAuthHandler(UserFile.load(users), true, Duration.ofSeconds(5));
        metrics.watch(handler).watch(auth);
        try (FileServer server = FileServer.builder(new ServeConfig(Files.createDirectories(dir.resolve("served")),
                "127.0.0.1", 0)).handler(handler).authentication(auth)
                .metrics(new MetricsEndpoint("127.0.0.1", 0, metrics)).start();
                BitsWire wire = new BitsWire(server.port())) {
            assertEquals(401, wire.ping("/x").status());
            wire.always(AuthenticatedUploadsTest.basic("ann", "pw"));
            byte[] data = TestData.randomBytes(250_000, 9);
            wire.upload("/one.bin", data, 100_000);
            String open = wire.createSession("/two.bin");
            wire.fragment("/two.bin", open, data, 0, 1_000);
            assertEquals(416, wire.fragment("/two.bin", open, data, 5_000, 1_000).status());
            assertEquals(500, wire.close("/gone.bin", "{A0FF5911-4144-45B3-BF27-27AFC8EC8A67}").status());

            Map<String, Double> samples = scrape(server.metricsUri());

            assertEquals(251_000, samples.get("jbits_serve_received_bytes_total"));
            assertEquals(4, samples.get("jbits_serve_fragments_total{result=\"acknowledged\"}"));
            assertEquals(1, samples.get("jbits_serve_fragments_total{result=\"out_of_order\"}"));
            assertEquals(1, samples.get("jbits_serve_errors_total{code=\"0x8020001F\",status=\"500\"}"));
            assertEquals(1, samples.get("jbits_serve_open_sessions"));
            assertEquals(4, samples.get("jbits_serve_fragment_fsync_seconds_count"));
            assertEquals(4, samples.get("jbits_serve_fragment_fsync_seconds_bucket{le=\"+Inf\"}"));
            assertEquals(1, samples.get("jbits_serve_logins_refused_total{reason=\"no_credentials\"}"));
            assertEquals(0, samples.get("jbits_serve_logins_refused_total{reason=\"wrong_password\"}"));
            assertEquals(404, HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.metricsUri()
                    .resolve("/other")).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        }
    }
}
