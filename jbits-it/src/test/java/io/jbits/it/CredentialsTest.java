package io.jbits.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Credentials through the real CLI and service: set from a password file, shown as target, scheme and user only,
 * never in {@code info}, {@code list} or the service log, and kept in a state database no other user can read.
 */
class CredentialsTest extends EndToEnd {
    private static final String SECRET = "Zq7-never-printed-jbits";

    @Test
    void theSecretIsNeverShownNorLoggedAndOnlyTheOwnerCanReadTheState() throws Exception {
        String job = cli.createJob("with-credentials", "normal");
        Path pw = Files.writeString(dest.resolve("pw.txt"), SECRET + "\n");
        String set = cli.ok("set", job, "--credentials", "server", "ntlm", "CORP\\ann", "--password-file",
                pw.toString());
        assertTrue(set.contains("credentials server ntlm CORP\\ann"), set);
        cli.ok("set", job, "--credentials", "proxy", "basic", "pat", "--password-file", pw.toString());

        JsonNode info = cli.info(job);
        assertEquals("CORP\\ann", info.path("options").path("cred.server.ntlm.user").asText(), info.toString());
        assertEquals("pat", info.path("options").path("cred.proxy.basic.user").asText(), info.toString());
        String text = cli.ok("info", job);
        assertTrue(text.contains("server ntlm CORP\\ann, proxy basic pat"), text);
        for (String shown : List.of(info.toString(), text, cli.ok("list", "--json"), cli.ok("list", "--all"),
                set)) {
            assertFalse(shown.contains(SECRET), "the secret is shown: " + shown);
            assertFalse(shown.contains(".secret"), "a secret option is named: " + shown);
        }

        cli.ok("set", job, "--remove-credentials", "proxy", "basic");
        assertTrue(cli.info(job).path("options").path("cred.proxy.basic.user").isMissingNode());

        cli.ok("service", "stop");
        String log = Files.readString(cli.home().resolve("service.log"));
        assertFalse(log.contains(SECRET), "the secret is in service.log");

        List<Path> state;
        try (Stream<Path> files = Files.list(cli.home())) {
            state = files.filter(p -> p.getFileName().toString().startsWith("jobs.db")).toList();
        }
        assertFalse(state.isEmpty(), "no state database in " + cli.home());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.home())));
        // Open the directory to everyone, so that only the files' own modes stand in the way of another user.
        Files.setPosixFilePermissions(cli.home(), PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path db : state) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db)), db.toString());
            Os.Result read = Os.run(Duration.ofSeconds(20), "setpriv", "--reuid=nobody", "--regid=nogroup",
                    "--clear-groups", "--", "cat", db.toString());
            assertNotEquals(0, read.exitCode(), "user nobody read " + db);
            assertTrue(read.stderr().contains("Permission denied"), read.toString());
            assertFalse(read.stdout().contains(SECRET));
        }
        Files.setPosixFilePermissions(cli.home(), PosixFilePermissions.fromString("rwx------"));
        // The service still holds the credentials after a restart (they persist for the life of the job).
        assertEquals("CORP\\ann", cli.info(job).path("options").path("cred.server.ntlm.user").asText());
    }
}
