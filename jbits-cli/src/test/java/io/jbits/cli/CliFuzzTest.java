package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.BitsCodes;
import io.jbits.api.JbitsException;
import io.jbits.testsupport.Fuzz;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated command lines: every one ends with exit 0, 1 (refused), 2 (usage, one line naming the problem) or 3 (no
 * service), never with a stack trace or an exception's name on stderr, and within seconds. The verbs that wait or
 * serve forever ({@code wait}, {@code monitor}, {@code serve}) are left out; {@code serve}'s options have their own
 * test below. Run long with {@code -Dfuzz.inputs=1000000}.
 */
class CliFuzzTest {
    @TempDir
    Path cwd;
    private final ExecutorService runner = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        runner.shutdownNow();
    }

    /** Each command line builds picocli's whole command tree (about 30 ms here), so CI tries fewer of them. */
    private static final int CI_INPUTS = 500;

    private static final String JOB = "0123abcd-0000-4000-8000-000000000000";

    private static final List<List<String>> CORPUS = List.of(
            List.of("create", "--priority", "high", "--description", "d", "--type", "download", "nightly"),
            List.of("create", "--type", "upload-reply", "n"),
            List.of("add", JOB, "http://127.0.0.1:8080/a.bin", "a.bin"),
            List.of("resume", JOB), List.of("suspend", "0123"), List.of("cancel", JOB), List.of("complete", JOB),
            List.of("info", JOB, "--json"), List.of("list", "--all", "--json"), List.of("list"),
            List.of("set", JOB, "--priority", "low", "--min-retry-delay", "90s", "--no-progress-timeout", "2h",
                    "--name", "x", "--description", "y"),
            List.of("set", JOB, "--reply-file", "/tmp/reply.bin"),
            List.of("set-remote", JOB, "0", "https://example.invalid/b.bin"),
            // transfer polls its job, which makes it the slowest verb here: one entry only
            List.of("transfer", "--priority", "foreground", "--name", "t", "http://127.0.0.1:1/x", "x.bin"),
            List.of("reply", JOB), List.of("version"), List.of("--version"), List.of("service", "status"),
            List.of("service", "stop"), List.of("service", "start"), List.of("--help"), List.of("frobnicate"));

    /** Argument-shaped tokens: options of every verb, values that converters must refuse. */
    private static final List<String> ARGS = List.of("--priority", "--type", "--json", "--all", "--min-retry-delay",
            "--no-progress-timeout", "--name", "--description", "--reply-file", "--upload", "--upload-reply", "--help",
            "-h", "-V", "--", "-", "", " ", "0", "-1", "1e9", "99999999999999999999", "5x", "PT5S", "-5s", "1.5h",
            "foreground", "HIGH", "urgent", "upload", "download", "upload-reply", "\u0000", "\n", "é", "%s", "%n",
            "${jndi:ldap://x}", "@args.txt", "@/etc/passwd", "file:///etc/passwd", "http://", "http://[::1", "a b");

    @Test
    void mutatedCommandLinesEndWithAKnownExitCodeAndNoStackTrace() throws Exception {
        Fuzz fuzz = Fuzz.start("cli-args", CI_INPUTS);
        Map<Integer, Integer> exits = new TreeMap<>();
        int tried = 0;
        for (int n = 0; n < fuzz.inputs(); n++) {
            SplittableRandom r = fuzz.random(n);
            List<String> args = mutant(r, Fuzz.pick(r, CORPUS));
            FakeServices services = new FakeServices();
            int failure = r.nextInt(10);
            if (failure == 0) {
                services.unreachable = new IOException("cannot reach the jbits service (test)");
            } else if (failure == 1) {
                services.refusal = new JbitsException(BitsCodes.BG_E_INVALID_STATE, "refused (test)");
            }
            String where = fuzz.where(n, args);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Cli cli = new Cli(services, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), cwd, false, false);
            Future<Integer> run = runner.submit(() -> Main.run(args.toArray(String[]::new), cli));
            int exit;
            try {
                exit = run.get(20, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                run.cancel(true);
                throw new AssertionError(where + ": still running after 20 s");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError(where + ": threw " + e.getCause(), e.getCause());
            }
            exits.merge(exit, 1, Integer::sum);
            String e = err.toString(StandardCharsets.UTF_8);
            assertTrue(exit >= 0 && exit <= 3, where + ": exit " + exit + ", stderr " + e);
            assertTrue(!e.contains("\tat ") && !e.matches("(?s).*\\b\\w+(Exception|Error)\\b[:\\s].*"),
                    where + ": a stack trace or an exception's name on stderr: " + e);
            if (exit == 2) {
                assertTrue(e.startsWith("jbits: ") && e.lines().count() == 1,
                        where + ": a usage error is one line 'jbits: ...': " + Fuzz.escape(e));
            } else if (exit != 0) {
                // a transfer may have drawn its progress bar first; the failure is the one last line
                List<String> lines = e.lines().toList();
                assertTrue(!lines.isEmpty() && lines.getLast().startsWith("jbits: ")
                                && lines.stream().filter(l -> l.startsWith("jbits: ")).count() == 1,
                        where + ": exit " + exit + " without one last line 'jbits: ...': " + Fuzz.escape(e));
            }
            tried++;
        }
        fuzz.done(tried);
        System.out.println("fuzz cli-args: exit codes " + exits);
        assertEquals(fuzz.inputs(), tried);
        assertTrue(exits.getOrDefault(2, 0) > 0 && exits.getOrDefault(0, 0) > 0, "both usage errors and "
                + "successes among the mutants: " + exits);
    }

    /** One to three changes to an argument list: mutate, drop, duplicate, insert or swap arguments. */
    private static List<String> mutant(SplittableRandom r, List<String> base) {
        List<String> args = new ArrayList<>(base);
        int changes = 1 + r.nextInt(3);
        for (int i = 0; i < changes; i++) {
            int at = args.isEmpty() ? 0 : r.nextInt(args.size());
            switch (r.nextInt(5)) {
                case 0 -> {
                    if (!args.isEmpty()) {
                        args.set(at, Fuzz.mutate(r, args.get(at)));
                    }
                }
                case 1 -> {
                    if (!args.isEmpty()) {
                        args.remove(at);
                    }
                }
                case 2 -> {
                    if (!args.isEmpty()) {
                        args.add(at, args.get(at));
                    }
                }
                case 3 -> args.add(Math.min(args.size(), at + r.nextInt(2)), Fuzz.pick(r, ARGS));
                default -> {
                    if (args.size() > 1) {
                        int other = r.nextInt(args.size());
                        String a = args.get(at);
                        args.set(at, args.get(other));
                        args.set(other, a);
                    }
                }
            }
        }
        // leave out the verbs that wait or serve until stopped
        if (!args.isEmpty() && List.of("wait", "monitor", "serve").contains(args.getFirst())) {
            args.set(0, "info");
        }
        return args;
    }

    @Test
    void serveRefusesBadLimitsAsUsageErrorsBeforeItListens() {
        Path uploads = cwd;
        for (String[] args : List.of(
                new String[] {"serve", cwd.toString(), "--port", "0", "--upload-dir", uploads.toString(),
                        "--max-sessions-per-client", "0"},
                new String[] {"serve", cwd.toString(), "--port", "0", "--upload-dir", uploads.toString(),
                        "--max-sessions-per-client", "many"},
                new String[] {"serve", cwd.toString(), "--port", "0", "--idle-timeout", "0s"},
                new String[] {"serve", cwd.toString(), "--port", "0", "--idle-timeout", "soon"},
                new String[] {"serve", cwd.toString(), "--port", "0", "--max-sessions-per-client", "5"})) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Cli cli = new Cli(new FakeServices(), new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), cwd, false, false);
            int exit = Main.run(args, cli);
            String e = err.toString(StandardCharsets.UTF_8);
            assertEquals(2, exit, Arrays.toString(args) + ": " + e);
            assertTrue(e.startsWith("jbits: ") && e.lines().count() == 1, Arrays.toString(args) + ": " + e);
        }
    }
}
