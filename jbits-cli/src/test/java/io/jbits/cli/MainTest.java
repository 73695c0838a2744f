package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.JbitsException;
import io.jbits.api.JobChanges;
import io.jbits.api.Priority;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {
    @TempDir
    Path cwd;
    private final FakeServices services = new FakeServices();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        Cli cli = new Cli(services, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), cwd, false, false);
        return Main.run(args, cli);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void assertOneLineError(String... fragments) {
        String e = err();
        assertTrue(e.startsWith("jbits: "), e);
        assertEquals(1, e.lines().count(), e);
        for (String f : fragments) {
            assertTrue(e.contains(f), "'" + f + "' not in: " + e);
        }
    }

    @Test
    void createPrintsOnlyTheIdAndDefaultsToNormal() {
        assertEquals(0, run("create", "nightly"));
        assertEquals("0123abcd-0000-4000-8000-000000000000\n", out());
        assertEquals(Priority.NORMAL, services.created.priority());
        assertEquals("nightly", services.created.name());
    }

    @Test
    void createReadsPriorityInAnyCaseAndDescription() {
        assertEquals(0, run("create", "--priority", "HIGH", "--description", "d", "n"));
        assertEquals(Priority.HIGH, services.created.priority());
        assertEquals("d", services.created.description());
    }

    @Test
    void unknownPriorityIsAUsageError() {
        assertEquals(2, run("create", "--priority", "urgent", "n"));
        assertOneLineError("urgent", "foreground, high, normal or low", "jbits create --help");
        assertEquals(List.of(), services.calls);
    }

    @Test
    void theHelpListsEveryVerbInItsOrderThoughACommandReadsOnlyItsOwn() {
        assertEquals(0, run("--help"));
        List<String> verbs = out().lines().filter(l -> l.matches("  [a-z-]+ .*")).map(l -> l.strip().split(" ")[0])
                .toList();
        assertEquals(List.of("create", "info", "list", "wait", "set", "transfer", "monitor", "ui", "service", "serve",
                "reply", "policy", "doctor", "add", "addfileset", "cancel", "complete", "resume", "set-remote", "suspend",
                "version"), verbs);
        out.reset();
        assertEquals(0, run("version"));
        assertTrue(out().startsWith("jbits "), out());
        assertEquals(2, run("version", "list"));
        assertOneLineError("list");
    }

    @ParameterizedTest
    @ValueSource(strings = {"create", "add", "resume", "suspend", "cancel", "complete", "info", "wait", "set",
            "set-remote", "serve"})
    void missingArgumentsAreAUsageErrorOnOneLine(String verb) {
        assertEquals(2, run(verb));
        assertOneLineError("Missing required parameter");
        assertEquals(List.of(), services.calls);
    }

    @Test
    void unknownVerbAndNoVerbAreUsageErrors() {
        assertEquals(2, run("frobnicate"));
        assertOneLineError("frobnicate");
        err.reset();
        assertEquals(2, run());
        assertOneLineError("verb");
    }

    @ParameterizedTest
    @ValueSource(strings = {"create", "add", "resume", "suspend", "cancel", "complete", "info", "list", "wait",
            "set", "set-remote", "transfer", "monitor", "service", "serve", "version"})
    void everyVerbHasHelp(String verb) {
        assertEquals(0, run(verb, "--help"));
        assertTrue(out().startsWith("Usage: jbits " + verb), out());
    }

    @Test
    void setReadsDurationsAndPriority() {
        assertEquals(0, run("set", "0123", "--min-retry-delay", "10m", "--no-progress-timeout", "2h",
                "--priority", "low", "--name", "n2", "--description", "d2"));
        assertEquals(new JobChanges("n2", "d2", Priority.LOW, Duration.ofMinutes(10), Duration.ofHours(2)),
                services.changes);
        assertEquals(List.of("change 0123"), services.calls);
    }

    @Test
    void badDurationIsAUsageErrorNamingTheValue() {
        assertEquals(2, run("set", "0123", "--min-retry-delay", "5x"));
        assertOneLineError("'5x'", "--min-retry-delay");
        assertEquals(List.of(), services.calls);
    }

    @Test
    void setWithoutAnyChangeIsAUsageError() {
        assertEquals(2, run("set", "0123"));
        assertOneLineError("nothing to change");
    }

    @Test
    void addResolvesARelativeLocalPathAgainstTheCallersDirectory() {
        assertEquals(0, run("add", "0123", "http://127.0.0.1:8080/a.iso", "sub/../a.iso"));
        assertEquals(cwd.resolve("a.iso").toString(), services.files.get(0)[1]);
    }

    @Test
    void setRemoteReadsTheFileIndex() {
        run("add", "0123", "http://127.0.0.1:8080/a", "a");
        assertEquals(0, run("set-remote", "0123", "0", "http://127.0.0.1:8080/b"));
        assertTrue(services.calls.contains("set-remote 0123 0 http://127.0.0.1:8080/b"), services.calls.toString());
        assertEquals(2, run("set-remote", "0123", "first", "http://127.0.0.1:8080/b"));
    }

    @Test
    void transferDefaultsToForegroundAndCompletes() throws IOException {
        Files.writeString(cwd.resolve("a.iso"), "the file the service would have moved in place");
        assertEquals(0, run("transfer", "http://127.0.0.1:8080/a.iso", "a.iso"));
        assertEquals(Priority.FOREGROUND, services.created.priority());
        assertTrue(services.calls.contains("complete 0123abcd-0000-4000-8000-000000000000"), services.calls.toString());
    }

    @Test
    void transferNeedsUrlAndPathPairs() {
        assertEquals(2, run("transfer", "http://127.0.0.1:8080/a.iso"));
        assertOneLineError("jbits transfer --help");
        err.reset();
        assertEquals(2, run("transfer", "http://127.0.0.1:8080/a", "a", "http://127.0.0.1:8080/b"));
        assertOneLineError("pairs");
        assertEquals(List.of(), services.calls);
    }

    @Test
    void transferNeedsPairsOrAFileSet() throws IOException {
        assertEquals(2, run("transfer"));
        assertOneLineError("no files: give URL LOCAL_PATH pairs, or --file-set FILE", "jbits transfer --help");
        err.reset();
        Files.writeString(cwd.resolve("set.txt"), "http://127.0.0.1:8080/a\n");
        assertEquals(2, run("transfer", "--file-set", "set.txt"));
        assertOneLineError("set.txt line 1: 'http://127.0.0.1:8080/a' has no local name");
        err.reset();
        assertEquals(2, run("transfer", "--file-set", "set.txt", "--upload", "a", "http://127.0.0.1:8080/up"));
        assertOneLineError("--file-set goes with downloads");
        err.reset();
        Files.writeString(cwd.resolve("set.txt"), "http://127.0.0.1:8080/a a\u0000b\n");
        assertEquals(2, run("transfer", "--file-set", "set.txt"));
        assertOneLineError("jbits transfer --help");
        err.reset();
        assertEquals(2, run("transfer", "http://127.0.0.1:8080/a", "a\u0000b"));
        assertOneLineError("jbits transfer --help");
        assertEquals(List.of(), services.calls);
    }

    @Test
    void refusalExitsOneWithTheBitsCode() {
        services.refusal = JbitsException.notFound("no job 'zz'");
        assertEquals(1, run("resume", "zz"));
        assertOneLineError("no job 'zz'", "0x80200001", "BG_E_NOT_FOUND");
    }

    @Test
    void unreachableServiceExitsThree() {
        services.unreachable = new IOException("jbits service is not running (no socket at /x/jbits.sock)");
        assertEquals(3, run("list"));
        assertOneLineError("not running");
    }

    @Test
    void serviceStatusExitsThreeWhenNotRunning() {
        assertEquals(3, run("service", "status"));
        assertOneLineError("not running");
    }

    @Test
    void serviceRecoverOfAHealthyDatabaseSaysSoAndMovesNothing() {
        assertEquals(0, run("service", "recover"));
        assertEquals("nothing to recover: healthy\n", out());
        assertEquals(List.of("recover"), services.calls);
    }

    @Test
    void versionPrintsJbitsAndTheVersion() {
        assertEquals(0, run("version"));
        assertTrue(out().matches("jbits \\S+\\n"), out());
    }

    @Test
    void infoAndListPrintJsonOnRequest() {
        assertEquals(0, run("info", "0123", "--json"));
        assertTrue(out().contains("\"state\" : \"SUSPENDED\""), out());
        out.reset();
        assertEquals(0, run("list", "--json"));
        assertTrue(out().startsWith("["), out());
        out.reset();
        assertEquals(0, run("monitor", "--count", "1"));
        assertTrue(out().startsWith("ID"), out());
        assertEquals(2, run("monitor", "--count", "0"));
    }
}
