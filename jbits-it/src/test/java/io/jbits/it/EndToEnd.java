package io.jbits.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What every end-to-end test class shares: a private service ({@link Cli}, its own JBITS_HOME), a data directory a
 * server publishes, a destination directory, and nginx started on demand; all stopped after each test.
 */
@Tag("e2e")
abstract class EndToEnd {
    static final long MIB = TestData.MIB;
    static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(2);
    static final Duration STATE_TIMEOUT = Duration.ofSeconds(45);

    @TempDir
    Path data;
    @TempDir
    Path dest;
    Cli cli;
    Nginx nginx;
    private final List<AutoCloseable> servers = new ArrayList<>();

    @BeforeEach
    final void startCli() {
        cli = Cli.create();
    }

    @AfterEach
    final void stopEverything() throws Exception {
        try {
            cli.close();
        } finally {
            if (nginx != null) {
                nginx.close();
            }
            for (AutoCloseable server : servers) {
                server.close();
            }
        }
    }

    /** Starts nginx over {@link #data}; {@code limitRate} (e.g. {@code 2m}) applies to /slow/, /norange/, /noetag/. */
    Nginx startNginx(String limitRate) throws IOException {
        nginx = Nginx.start(data, limitRate);
        return nginx;
    }

    /** Keeps a server to close after the test. */
    <T extends AutoCloseable> T closeLater(T server) {
        servers.add(server);
        return server;
    }

    /** {@code jbits add JOB URL DEST/name}; returns the destination path. */
    Path add(String job, String url, String name) {
        Path target = dest.resolve(name);
        cli.ok("add", job, url, target.toString());
        return target;
    }

    /** The names in the destination directory now, sorted. */
    List<String> destinationNames() {
        try (Stream<Path> files = Files.list(dest)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dest, e);
        }
    }

    /** Asserts that {@code file} exists with the same SHA-256 as {@code source}. */
    static void assertSameBytes(Path source, Path file) {
        assertEquals(TestData.sha256(source), TestData.sha256(file), file + " should hold the bytes of " + source);
    }

    /** Completes the job through the CLI and asserts ACKNOWLEDGED. */
    void complete(String job) {
        cli.ok("complete", job);
        assertEquals("ACKNOWLEDGED", cli.info(job).path("state").asText(), "state after complete");
    }

    static long bytesTransferred(JsonNode info) {
        return info.path("bytesTransferred").asLong();
    }

    static String state(JsonNode info) {
        return info.path("state").asText();
    }
}
