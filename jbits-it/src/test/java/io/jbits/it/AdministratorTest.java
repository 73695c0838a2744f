package io.jbits.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Administrators (bitsadmin {@code /allusers}): two Unix users made for this test each run their own service, in the
 * places a login session gives them ({@code XDG_RUNTIME_DIR=/run/user/UID}); root lists both users' jobs with
 * {@code jbits list --all-users}, reads and cancels one with {@code jbits --user NAME}, may not make jobs for them,
 * and every call of root is in the user's service log. One ordinary user calling the other's service gets 403.
 */
class AdministratorTest extends EndToEnd {
    private static final String ALICE = "jbitsadm1";
    private static final String BOB = "jbitsadm2";
    private static final Duration CALL = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> createdUsers = new ArrayList<>();
    private static final Map<String, Path> stateRoots = new HashMap<>();
    private static Path sharedDir;
    private static String sharedClassPath;

    @BeforeAll
    static void createUsersAndShareTheClassPath() throws IOException {
        if (!Os.isRoot()) {
            throw new AssertionError("AdministratorTest creates Unix users and acts as root; run the build as root");
        }
        for (String user : List.of(ALICE, BOB)) {
            if (!Os.run(Duration.ofSeconds(10), "id", "-u", user).ok()) {
                Os.Result added = Os.run(Duration.ofSeconds(30), "useradd", "-M", "-r", "-s", "/usr/sbin/nologin",
                        user);
                assertEquals(0, added.exitCode(), "useradd " + user + ": " + added.stderr());
                createdUsers.add(user);
            }
            Path root = Files.createTempDirectory(Path.of("/tmp"), "jbits-adm-");
            Os.run(Duration.ofSeconds(10), "chown", user + ":" + user, root.toString());
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
            stateRoots.put(user, root);
            Path runtime = runtimeDir(user);
            Files.createDirectories(runtime);
            Os.run(Duration.ofSeconds(10), "chown", user + ":" + user, runtime.toString());
            Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        }
        sharedDir = Files.createTempDirectory(Path.of("/tmp"), "jbits-adm-cp-");
        sharedClassPath = ReadableClassPath.copyInto(sharedDir);
    }

    @AfterAll
    static void stopServicesAndRemoveUsers() {
        for (String user : List.of(ALICE, BOB)) {
            if (stateRoots.containsKey(user)) {
                asUser(user, "service", "stop");
                Os.deleteTree(stateRoots.get(user));
                Os.deleteTree(runtimeDir(user));
            }
        }
        Os.deleteTree(sharedDir);
        for (String user : createdUsers) {
            Os.run(Duration.ofSeconds(30), "userdel", user);
        }
    }

    @Test
    void rootListsEveryUsersJobsAndCancelsOneButAnotherUserIsRefused() throws Exception {
        String aliceJob = createJob(ALICE, "alice-job");
        String bobJob = createJob(BOB, "bob-job");

        Os.Result table = cli.run(CALL, "list", "--all-users");
        assertEquals(0, table.exitCode(), "list --all-users: " + table);
        assertTrue(table.stdout().startsWith("OWNER"), "an owner column first: " + table.stdout());
        assertTrue(rowOf(table.stdout(), aliceJob).startsWith(ALICE), "alice's job, owned by alice: " + table);
        assertTrue(rowOf(table.stdout(), bobJob).startsWith(BOB), "bob's job, owned by bob: " + table);

        JsonNode all = JSON.readTree(cli.ok("list", "--all-users", "--json"));
        Map<String, String> owners = new HashMap<>();
        all.forEach(j -> owners.put(j.path("id").asText(), j.path("owner").asText()));
        assertEquals(ALICE, owners.get(aliceJob), "JSON owner of alice's job: " + all);
        assertEquals(BOB, owners.get(bobJob), "JSON owner of bob's job: " + all);

        String alices = cli.ok("--user", ALICE, "list");
        assertTrue(alices.contains(aliceJob) && !alices.contains(bobJob), "--user lists that user's jobs: " + alices);
        cli.ok("--user", ALICE, "resume", aliceJob);
        assertEquals(aliceJob + ": SUSPENDED", cli.ok("--user", ALICE, "suspend", aliceJob), "root suspends it");
        JsonNode info = JSON.readTree(cli.ok("--user", ALICE, "info", aliceJob, "--json"));
        assertEquals("alice-job", info.path("name").asText(), "root reads alice's job");
        assertEquals(bobJob + ": CANCELLED", cli.ok("--user", BOB, "cancel", bobJob), "root cancels bob's job");
        JsonNode bobsView = JSON.readTree(ok(asUser(BOB, "info", bobJob, "--json")));
        assertEquals("CANCELLED", bobsView.path("state").asText(), "bob sees his job cancelled");
        assertEquals("SUSPENDED", JSON.readTree(ok(asUser(ALICE, "info", aliceJob, "--json"))).path("state")
                .asText(), "alice's job is untouched");

        Os.Result create = cli.run(CALL, "--user", ALICE, "create", "made-by-root");
        assertNotEquals(0, create.exitCode(), "root may not make jobs for alice: " + create);
        assertTrue(create.stderr().contains("administrator"), "the refusal says why: " + create);
        Os.Result add = cli.run(CALL, "--user", ALICE, "add", aliceJob, "http://127.0.0.1:9/x.bin", "/etc/x.bin");
        assertNotEquals(0, add.exitCode(), "root may not add files to alice's job: " + add);
        assertEquals(1, JSON.readTree(ok(asUser(ALICE, "info", aliceJob, "--json"))).path("files").size(),
                "alice's job still has its one file");

        String log = Files.readString(stateRoots.get(ALICE).resolve("jbits").resolve("service.log"));
        assertTrue(log.contains("administrator call (uid 0, user root) on the service of " + ALICE + ": GET /v1/jobs"),
                "the list is logged: " + log);
        assertTrue(log.contains("POST /v1/jobs refused"), "the refused create is logged: " + log);

        // Let bob reach alice's socket file, so that only the service's own check stands in the way.
        Path aliceSocket = runtimeDir(ALICE).resolve("jbits").resolve("jbits.sock");
        Files.setPosixFilePermissions(runtimeDir(ALICE), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(aliceSocket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(aliceSocket, PosixFilePermissions.fromString("rw-rw-rw-"));
        List<String> curl = new ArrayList<>(setpriv(BOB));
        curl.addAll(List.of("curl", "-sS", "--max-time", "20", "--unix-socket", aliceSocket.toString(),
                "-w", "\n%{http_code}", "http://localhost/v1/jobs"));
        Os.Result raw = Os.run(curl, CALL, new ProcessBuilder().directory(sharedDir.toFile()));
        String[] lines = raw.stdout().strip().split("\n");
        assertEquals("403", lines[lines.length - 1], "GET /v1/jobs from bob on alice's service: " + raw);
        assertFalse(raw.stdout().contains(aliceJob), "the refusal carries no job data: " + raw.stdout());
        Os.Result bobAsAdmin = asUser(BOB, "--user", ALICE, "cancel", aliceJob);
        assertNotEquals(0, bobAsAdmin.exitCode(), "an ordinary user is no administrator: " + bobAsAdmin);
        assertEquals("SUSPENDED", JSON.readTree(ok(asUser(ALICE, "info", aliceJob, "--json"))).path("state")
                .asText(), "alice's job is still untouched");
    }

    /** A suspended job of {@code user} with one file, made by the user's own CLI (which starts the service). */
    private String createJob(String user, String name) {
        String id = ok(asUser(user, "create", name));
        ok(asUser(user, "add", id, "http://127.0.0.1:9/never.bin",
                stateRoots.get(user).resolve("never.bin").toString()));
        return id;
    }

    private static String rowOf(String table, String job) {
        return table.lines().filter(l -> l.contains(job)).findFirst()
                .orElseThrow(() -> new AssertionError("no row of " + job + " in:\n" + table));
    }

    private static String ok(Os.Result r) {
        if (!r.ok()) {
            throw new AssertionError("exited " + r.exitCode() + ": " + r);
        }
        return r.stdout().strip();
    }

    /** {@code jbits ARGS} as {@code user}, in that user's login-session environment. */
    private static Os.Result asUser(String user, String... args) {
        long uid = uid(user);
        List<String> command = new ArrayList<>(setpriv(user));
        command.addAll(List.of("env", "-i", "PATH=/usr/bin:/bin", "XDG_RUNTIME_DIR=/run/user/" + uid,
                "XDG_STATE_HOME=" + stateRoots.get(user), "XDG_CACHE_HOME=" + stateRoots.get(user).resolve("cache"),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", sharedClassPath, Cli.MAIN));
        command.addAll(List.of(args));
        return Os.run(command, CALL, new ProcessBuilder().directory(sharedDir.toFile()));
    }

    private static List<String> setpriv(String user) {
        return List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--clear-groups", "--");
    }

    private static Path runtimeDir(String user) {
        return Path.of("/run/user", Long.toString(uid(user)));
    }

    private static long uid(String user) {
        Os.Result id = Os.run(Duration.ofSeconds(10), "id", "-u", user);
        return Long.parseLong(id.stdout().strip());
    }
}
