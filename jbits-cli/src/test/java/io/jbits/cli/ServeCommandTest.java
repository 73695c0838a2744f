package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options of {@code jbits serve} that are refused before the server starts. */
class ServeCommandTest {
    @TempDir
    Path cwd;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        Cli cli = new Cli(new FakeServices(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), cwd, false, false);
        return Main.run(args, cli);
    }

    private void assertRefused(int code, String fragment, String... args) {
        assertEquals(code, run(args), () -> err.toString(StandardCharsets.UTF_8));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains(fragment), "'" + fragment + "' not in: " + e);
    }

    @Test
    void aCertificateNeedsItsKey() throws Exception {
        Files.createDirectories(cwd.resolve("www"));
        assertRefused(2, "--tls-cert and --tls-key go together", "serve", "www", "--port", "0", "--tls-cert",
                "cert.pem");
    }

    @Test
    void anUnreadableCertificateIsNamed() throws Exception {
        Files.createDirectories(cwd.resolve("www"));
        Files.writeString(cwd.resolve("cert.pem"), "no certificate here\n");
        Files.writeString(cwd.resolve("key.pem"), "no key here\n");
        assertRefused(1, "cert.pem", "serve", "www", "--port", "0", "--tls-cert", "cert.pem", "--tls-key",
                "key.pem");
    }

    @Test
    void aUsersFileWithAWeakEntryIsRefusedWithItsLine() throws Exception {
        Files.createDirectories(cwd.resolve("www"));
        Files.writeString(cwd.resolve("users"), "ann:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n");
        assertRefused(1, "users line 1", "serve", "www", "--port", "0", "--users", "users",
                "--allow-basic-over-http");
    }

    @Test
    void basicOverHttpNeedsUsers() throws Exception {
        Files.createDirectories(cwd.resolve("www"));
        assertRefused(2, "--allow-basic-over-http goes with --users", "serve", "www", "--port", "0",
                "--allow-basic-over-http");
    }

    @Test
    void usersOverPlainHttpWithoutAProxyOrPermissionAreRefused() throws Exception {
        Files.createDirectories(cwd.resolve("www"));
        Files.writeString(cwd.resolve("users"), "");
        assertRefused(2, "would refuse every request", "serve", "www", "--port", "0", "--users", "users");
    }

    @Test
    void aTrustedProxyIsAnAddressNotAName() throws Exception {
        Files.createDirectories(cwd.resolve("www"));
        assertRefused(2, "'proxy.example' is not an IP address", "serve", "www", "--port", "0", "--trusted-proxy",
                "127.0.0.1/32,proxy.example");
    }

    @Test
    void aBrokenConfigFileIsReportedWithItsLine() throws Exception {
        Files.createDirectories(cwd.resolve("www"));
        Files.writeString(cwd.resolve("serve.yaml"), "directories:\n  - url: /a\n    path: a\n    colour: blue\n");
        assertRefused(1, "serve.yaml line 4: unknown key 'colour'", "serve", "www", "--port", "0", "--config",
                "serve.yaml");
    }

    @Test
    void aConfigFileReplacesTheUploadOptions() throws Exception {
        Files.createDirectories(cwd.resolve("www"));
        assertRefused(2, "--config replaces --upload-dir", "serve", "www", "--port", "0", "--config", "serve.yaml",
                "--max-upload-size", "5M");
    }

    @Test
    void uploadsByUserNeedUsers() throws Exception {
        Files.createDirectories(cwd.resolve("www"));
        Files.createDirectories(cwd.resolve("up"));
        assertRefused(2, "--upload-dir with {user} needs users", "serve", "www", "--port", "0", "--upload-dir",
                "up/{user}");
        Files.writeString(cwd.resolve("serve.yaml"), "directories:\n  - url: /a\n    path: up/{user}\n");
        assertRefused(1, "serve.yaml line 3: the directory /a stores uploads by {user}", "serve", "www", "--port",
                "0", "--config", "serve.yaml");
    }

    @Test
    void clientCertificatesNeedTls() throws Exception {
        Files.createDirectories(cwd.resolve("www"));
        assertRefused(2, "--tls-client-ca needs --tls-cert and --tls-key", "serve", "www", "--port", "0",
                "--tls-client-ca", "clients.pem");
    }
}
