package io.jbits.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A second Unix user, made for this test, against the first user's service: it must neither see nor change the
 * first user's jobs, whether through the CLI or by talking HTTP to the socket itself.
 */
class OtherUserTest extends EndToEnd {
    private static final String OTHER = "jbitsit2";
    private static final Duration OTHER_CALL_TIMEOUT = Duration.ofSeconds(45);
    private static boolean createdUser;
    /** A copy of this JVM's class path that the other user may read (/root/.m2 is private). */
    private static Path sharedDir;
    private static String sharedClassPath;

    @BeforeAll
    static void createOtherUserAndShareTheClassPath() throws IOException {
        if (!Os.isRoot()) {
            throw new AssertionError("OtherUserTest creates the Unix user " + OTHER + " and needs root "
                    + "(CI runs as root); run the build as root");
        }
        if (!Os.run(Duration.ofSeconds(10), "id", "-u", OTHER).ok()) {
            Os.Result added = Os.run(Duration.ofSeconds(30), "useradd", "-M", "-r", "-s", "/usr/sbin/nologin", OTHER);
            assertEquals(0, added.exitCode(), "useradd " + OTHER + ": " + added.stderr());
            createdUser = true;
        }
        sharedDir = Files.createTempDirectory(Path.of("/tmp"), "jbits-it-cp-");
        sharedClassPath = ReadableClassPath.copyInto(sharedDir);
    }

    @AfterAll
    static void removeOtherUser() {
        Os.deleteTree(sharedDir);
        if (createdUser) {
            Os.run(Duration.ofSeconds(30), "userdel", OTHER);
        }
    }

    @Test
    void anotherUserCanNeitherSeeNorChangeTheJobsThroughTheCliOrTheSocket() throws Exception {
        String job = cli.createJob("private-job", "normal");
        cli.ok("add", job, "http://127.0.0.1:9/never.bin", dest.resolve("never.bin").toString());
        JsonNode before = cli.info(job);
        Path socket = cli.home().resolve("jbits.sock");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)),
                "the service makes its socket private");
        // Let the other user reach the socket file itself, so that only the service's own checks stand in the way.
        Files.setPosixFilePermissions(cli.home(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Cli other = cli.runningAs(asOther(), sharedClassPath, sharedDir);
        Os.Result help = other.run(OTHER_CALL_TIMEOUT, "--help");
        assertEquals(0, help.exitCode(), "the CLI itself runs as " + OTHER + ", so refusals below are the service's: "
                + help);

        assertRefused(other, job);
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertRefused(other, job);

        List<String> curl = new ArrayList<>(asOther());
        curl.addAll(List.of("curl", "-sS", "--max-time", "20", "--unix-socket", socket.toString(),
                "-w", "\n%{http_code}", "http://localhost/v1/jobs"));
        Os.Result raw = Os.run(curl, OTHER_CALL_TIMEOUT, new ProcessBuilder().directory(sharedDir.toFile()));
        String[] lines = raw.stdout().strip().split("\n");
        assertEquals("403", lines[lines.length - 1], "GET /v1/jobs from another user: " + raw);
        assertFalse(raw.stdout().contains(job) || raw.stdout().contains("private-job"),
                "the refusal carries no job data: " + raw.stdout());

        JsonNode after = cli.info(job);
        assertEquals(state(before), state(after), "state unchanged");
        assertEquals(before.path("priority"), after.path("priority"), "priority unchanged");
        assertEquals(before.path("modified"), after.path("modified"), "job not modified");
        assertEquals(before.path("files"), after.path("files"), "files unchanged");
    }

    /** Every call of the other user fails, and none prints the job. */
    private static void assertRefused(Cli other, String job) {
        List<List<String>> calls = List.of(List.of("list", "--json"), List.of("info", job, "--json"),
                List.of("cancel", job), List.of("set", job, "--priority", "high"));
        for (List<String> call : calls) {
            Os.Result result = other.run(OTHER_CALL_TIMEOUT, call.toArray(String[]::new));
            boolean leaks = result.stdout().contains(job) || result.stdout().contains("private-job");
            assertFalse(leaks, "jbits " + call + " as " + OTHER + " shows the job: " + result);
            if (!call.getFirst().equals("list")) {
                assertNotEquals(0, result.exitCode(), "jbits " + call + " as " + OTHER + " must fail: " + result);
            }
        }
    }

    private static List<String> asOther() {
        return List.of("setpriv", "--reuid=" + OTHER, "--regid=" + OTHER, "--clear-groups", "--");
    }
}
