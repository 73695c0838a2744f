package io.jbits.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code jbits serve} facing a network: HTTPS with a certificate from a CA made in set-up, users from an htpasswd
 * file written by apache2-utils' {@code htpasswd -B}, and the jbits command uploading with {@code --ca-file} and
 * server Basic credentials.
 */
class ServeHttpsTest extends EndToEnd {

    private static final Path HTPASSWD = Path.of("/usr/bin/htpasswd");

    private final ServerCertificates ca = new ServerCertificates();
    private Path caFile;
    private Path certFile;
    private Path keyFile;
    private Path users;
    private Path uploads;
    private Path served;

    @BeforeEach
    void setUp() throws IOException {
        Path tls = Files.createDirectories(data.resolve("tls"));
        caFile = ca.writeCaFile(tls.resolve("ca.pem"));
        certFile = tls.resolve("fullchain.pem");
        keyFile = tls.resolve("privkey.pem");
        ca.issue(certFile, keyFile);
        if (!Files.isExecutable(HTPASSWD)) {
            throw new AssertionError(HTPASSWD + " not found: install apache2-utils, as .ci/run does");
        }
        users = data.resolve("users");
        Os.Result made = Os.run(Duration.ofSeconds(30), HTPASSWD.toString(), "-c", "-b", "-B", users.toString(),
                "alice", "correct horse");
        assertTrue(made.ok(), "htpasswd -B: " + made);
        uploads = Files.createDirectories(data.resolve("uploads"));
        served = Files.createDirectories(data.resolve("served"));
    }

    private ServeProcess serve() throws IOException {
        return closeLater(ServeProcess.start(served, data.resolve("serve.log"), "--upload-dir", uploads.toString(),
                "--tls-cert", certFile.toString(), "--tls-key", keyFile.toString(), "--users", users.toString()));
    }

    private Path password(String name, String text) throws IOException {
        return Files.writeString(dest.resolve(name), text + "\n");
    }

    @Test
    void aWrongPasswordLeavesTheJobInErrorAndTheRightOneThenCompletesIt() throws Exception {
        ServeProcess server = serve();
        Path source = TestData.randomFile(dest.resolve("report.bin"), 12 * MIB + 3, 21);
        String job = cli.ok("create", "--type", "upload", "--priority", "foreground", "report").strip();
        String url = "https://127.0.0.1:" + server.port() + "/in/report.bin";
        cli.ok("add", job, url, source.toString());
        cli.ok("set", job, "--ca-file", caFile.toString(), "--credentials", "server", "basic", "alice",
                "--password-file", password("wrong.txt", "battery staple").toString());
        cli.ok("resume", job);

        JsonNode failed = cli.awaitState(job, "ERROR", STATE_TIMEOUT);
        JsonNode error = failed.path("error");
        assertEquals(401, error.path("httpStatus").asInt(), "httpStatus in " + error);
        String message = error.path("message").asText();
        assertTrue(message.contains("HTTP 401 Unauthorized") && message.contains(url), "a clear message: " + message);
        assertTrue(Files.notExists(uploads.resolve("in/report.bin")));

        cli.ok("set", job, "--credentials", "server", "basic", "alice", "--password-file",
                password("right.txt", "correct horse").toString());
        cli.ok("resume", job);
        cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
        complete(job);

        assertSameBytes(source, uploads.resolve("in/report.bin"));
        assertTrue(!server.log().contains("correct horse") && !server.log().contains("battery staple"),
                "no password in the server's log");
    }

    @Test
    void renewingTheCertificateDuringAnUploadDoesNotBreakIt() throws Exception {
        ServeProcess server = serve();
        Path source = TestData.randomFile(dest.resolve("big.bin"), 24 * MIB + 5, 22);
        String job = cli.ok("create", "--type", "upload", "--priority", "foreground", "renewal").strip();
        cli.ok("add", job, "https://127.0.0.1:" + server.port() + "/big.bin", source.toString());
        cli.ok("set", job, "--ca-file", caFile.toString(), "--max-rate", "4M", "--credentials", "server",
                "basic", "alice", "--password-file", password("right.txt", "correct horse").toString());
        cli.ok("resume", job);
        cli.awaitInfo(job, "some bytes acknowledged", STATE_TIMEOUT, info -> bytesTransferred(info) > 0);

        ca.issue(certFile, keyFile);

        JsonNode done = cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
        complete(job);
        assertSameBytes(source, uploads.resolve("big.bin"));
        assertTrue(server.log().contains("Reloaded the certificate"), "the server took the renewed certificate: "
                + server.log());
        assertEquals(0, done.path("errorCount").asInt(), "no error during the renewal: " + done);
        assertEquals(List.of("big.bin"), List.of(uploads.toFile().list((d, n) -> !n.startsWith("."))));
    }
}
