package io.jbits.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Operating {@code jbits serve}: metrics scraped and parsed against the uploads done, the access log, SIGTERM. */
class ServeOperationsTest extends EndToEnd {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)");

    private Path uploads;
    private Path served;

    @BeforeEach
    void directories() throws IOException {
        uploads = Files.createDirectories(data.resolve("uploads"));
        served = Files.createDirectories(data.resolve("served"));
    }

    /** The samples of a scrape in the Prometheus text format, by name and labels as written. */
    private static Map<String, Double> scrape(URI uri) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                Matcher m = SAMPLE.matcher(line);
                assertTrue(m.matches(), "a sample line: " + line);
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
        }
        return samples;
    }

    @Test
    void theMetricsMatchTheUploadsAndTheAccessLogNamesTheirSessions() throws Exception {
        int metricsPort = Os.freeLoopbackPort();
        Path accessLog = data.resolve("access.log");
        ServeProcess serve = closeLater(ServeProcess.start(served, data.resolve("serve.log"), "--upload-dir",
                uploads.toString(), "--metrics", "127.0.0.1:" + metricsPort, "--access-log", accessLog.toString()));
        Path one = TestData.randomFile(dest.resolve("one.bin"), 9 * MIB + 1, 41);
        Path two = TestData.randomFile(dest.resolve("two.bin"), 3 * MIB + 2, 42);

        cli.ok("transfer", "--upload", one.toString(), "http://127.0.0.1:" + serve.port() + "/one.bin");
        cli.ok("transfer", "--upload", two.toString(), "http://127.0.0.1:" + serve.port() + "/two.bin");
        Map<String, Double> samples = scrape(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"));

        assertSameBytes(one, uploads.resolve("one.bin"));
        assertSameBytes(two, uploads.resolve("two.bin"));
        assertEquals(Files.size(one) + Files.size(two), samples.get("jbits_serve_received_bytes_total"));
        assertEquals(0, samples.get("jbits_serve_open_sessions"));
        double acknowledged = samples.get("jbits_serve_fragments_total{result=\"acknowledged\"}");
        assertTrue(acknowledged >= 2, "fragments: " + samples);
        assertEquals(acknowledged, samples.get("jbits_serve_fragment_fsync_seconds_count"));
        assertTrue(samples.keySet().stream().noneMatch(k -> k.startsWith("jbits_serve_errors_total")), "no error");
        List<String> log = Files.readAllLines(accessLog);
        assertEquals(2, log.stream().filter(l -> l.contains("Create-Session {")).count(), String.join("\n", log));
    }

    @Test
    void sigtermLetsTheServerStopCleanlyAndTheUploadResumesAfterARestart() throws Exception {
        int port = Os.freeLoopbackPort();
        Path log = data.resolve("serve.log");
        ServeProcess first = ServeProcess.start(served, log, port, "--upload-dir", uploads.toString());
        Path source = TestData.randomFile(dest.resolve("big.bin"), 20 * MIB + 9, 43);
        String job = cli.ok("create", "--type", "upload", "--priority", "foreground", "sigterm").strip();
        cli.ok("add", job, "http://127.0.0.1:" + port + "/big.bin", source.toString());
        cli.ok("set", job, "--max-rate", "4M", "--min-retry-delay", "1s");
        cli.ok("resume", job);
        cli.awaitInfo(job, "some bytes acknowledged", STATE_TIMEOUT, info -> bytesTransferred(info) > 0);

        int exit = first.terminate();

        assertTrue(exit == 0 || exit == 143, "exit code after SIGTERM: " + exit);
        assertTrue(first.log().contains("Stopped serving"), "a clean stop: " + first.log());
        closeLater(ServeProcess.start(served, log, port, "--upload-dir", uploads.toString()));
        cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
        complete(job);
        assertSameBytes(source, uploads.resolve("big.bin"));
    }

    @Test
    void aConfigFileGivesEachDirectoryItsLimitAndSighupReloadsIt() throws Exception {
        Files.createDirectories(data.resolve("small"));
        Files.createDirectories(data.resolve("big"));
        String yaml = """
                directories:
                  - url: /small
                    path: small
                    max-upload-size: %s
                  - url: /big
                    path: big
                """;
        Path config = Files.writeString(data.resolve("serve.yaml"), yaml.formatted("1M"));
        ServeProcess serve = closeLater(ServeProcess.start(served, data.resolve("serve.log"), "--config",
                config.toString()));
        Path source = TestData.randomFile(dest.resolve("two-mib.bin"), 2 * MIB, 44);
        String base = "http://127.0.0.1:" + serve.port();

        cli.ok("transfer", "--upload", source.toString(), base + "/big/two-mib.bin");
        String refused = cli.ok("create", "--type", "upload", "too-big").strip();
        cli.ok("add", refused, base + "/small/two-mib.bin", source.toString());
        cli.ok("resume", refused);
        JsonNode error = cli.awaitState(refused, "ERROR", STATE_TIMEOUT).path("error");

        assertSameBytes(source, data.resolve("big/two-mib.bin"));
        assertEquals("0x80200020", error.path("code").asText(), "BG_E_TOO_LARGE: " + error);

        Files.writeString(config, yaml.formatted("4M"));
        Os.Result hup = Os.run(Duration.ofSeconds(10), "kill", "-HUP", Long.toString(serve.process().pid()));
        assertTrue(hup.ok(), hup.toString());
        org.awaitility.Awaitility.await("the configuration read again").atMost(Duration.ofSeconds(20))
                .until(() -> serve.log().contains("serve.yaml again"));
        cli.ok("cancel", refused);
        cli.ok("transfer", "--upload", source.toString(), base + "/small/two-mib.bin");
        assertSameBytes(source, data.resolve("small/two-mib.bin"));
    }
}
