package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code set --credentials} and {@code transfer --credentials}: where the secret comes from, and what is refused. */
class CredentialsCommandTest {
    @TempDir
    Path cwd;
    private final FakeServices services = new FakeServices();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String stdin, String... args) {
        Cli cli = new Cli(services, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), cwd, false, false,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        return Main.run(args, cli);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void passwordStdinReadsTheSecretWithoutItsLineEnd() {
        assertEquals(0, run("pässword with spaces\r\n", "set", "0123", "--credentials", "server", "BASIC", "ann",
                "--password-stdin"));
        assertEquals(List.of("server basic ann pässword with spaces"), services.credentials);
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("pässword"));
    }

    @Test
    void passwordFileIsReadRelativeToTheCallersDirectory() throws Exception {
        Files.writeString(cwd.resolve("pw.txt"), "from-file\n");
        assertEquals(0, run("", "set", "0123", "--credentials", "proxy", "ntlm", "CORP\\pat", "--password-file",
                "pw.txt"));
        assertEquals(List.of("proxy ntlm CORP\\pat from-file"), services.credentials);
    }

    @Test
    void removeCredentialsNamesTargetAndScheme() {
        assertEquals(0, run("", "set", "0123", "--remove-credentials", "proxy", "digest"));
        assertTrue(services.calls.contains("remove-credentials 0123 proxy digest"), services.calls.toString());
    }

    @Test
    void withoutATerminalOrAPasswordSourceTheCommandSaysHowToGiveIt() {
        assertEquals(2, run("", "set", "0123", "--credentials", "server", "basic", "ann"));
        assertTrue(err().contains("--password-stdin or --password-file"), err());
        assertTrue(services.credentials.isEmpty());
    }

    @Test
    void badTargetsSchemesAndLoneSourcesAreUsageErrors() {
        assertEquals(2, run("x", "set", "0123", "--credentials", "client", "basic", "ann", "--password-stdin"));
        assertTrue(err().contains("server or proxy"), err());
        assertEquals(2, run("x", "set", "0123", "--credentials", "server", "passport", "ann", "--password-stdin"));
        assertTrue(err().contains("basic, digest, ntlm or negotiate"), err());
        assertEquals(2, run("x", "set", "0123", "--password-stdin"));
        assertTrue(err().contains("--password-stdin goes with --credentials"), err());
        assertEquals(2, run("x", "set", "0123", "--credentials", "server", "basic", "ann", "--password-stdin",
                "--password-file", "f"));
        assertTrue(err().contains("exclude each other"), err());
        assertEquals(2, run("x", "set", "0123", "--remove-credentials", "server", "kerberos"));
        assertTrue(services.credentials.isEmpty());
        assertTrue(services.calls.isEmpty(), services.calls.toString());
    }

    @Test
    void transferSetsTheCredentialsBeforeAddingFilesAndResuming() throws Exception {
        Files.writeString(cwd.resolve("a"), "the file the service would have moved in place");
        assertEquals(0, run("pw\n", "transfer", "--credentials", "server", "digest", "ann", "--password-stdin",
                "http://h/a", "a"));
        assertEquals(List.of("server digest ann pw"), services.credentials);
        List<String> calls = services.calls;
        int set = calls.indexOf("credentials 0123abcd-0000-4000-8000-000000000000 server digest ann");
        assertTrue(set > 0 && set < calls.indexOf("resume 0123abcd-0000-4000-8000-000000000000"), calls.toString());
    }
}
