package io.jbits.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * The {@code jbits} command as a user runs it: a child JVM per call, the build's jar with the launchers' flags and
 * start-up cache ({@link CliJar}), with {@code JBITS_HOME} set to a private short directory under /tmp, so each test
 * has its own service, database and socket.
 *
 * <p>{@link #close()} stops that service ({@code service stop}, then SIGKILL of whatever pid is left in
 * {@code service.pid}) and deletes the directory.
 */
final class Cli implements AutoCloseable {
    static final String MAIN = "io.jbits.cli.Main";
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** States a job never leaves without its owner acting: waiting for something else there is pointless. */
    private static final Set<String> SETTLED = Set.of("ERROR", "TRANSFERRED", "ACKNOWLEDGED", "CANCELLED");

    private final Path home;
    private final List<String> launcher;
    private final String classPath;
    private final Path workDir;
    private final boolean ownsHome;
    private final java.util.Map<String, String> environment = new java.util.concurrent.ConcurrentHashMap<>();

    private Cli(Path home, List<String> launcher, String classPath, Path workDir, boolean ownsHome) {
        this.home = home;
        this.launcher = List.copyOf(launcher);
        this.classPath = classPath;
        this.workDir = workDir;
        this.ownsHome = ownsHome;
    }

    /**
     * A CLI for this Unix user with a fresh {@code JBITS_HOME} under /tmp: Unix socket paths must stay under 108
     * bytes, which a Maven target directory may not.
     */
    static Cli create() {
        try {
            Path home = Files.createTempDirectory(Path.of("/tmp"), "jbits-it-");
            return new Cli(home, List.of(), CliJar.classPath(), home, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a JBITS_HOME under /tmp", e);
        }
    }

    /**
     * The same {@code JBITS_HOME} used by another program: {@code launcher} goes before {@code java} (e.g. setpriv
     * to another user), {@code classPath} replaces the jar's. It never stops the service nor deletes anything.
     */
    Cli runningAs(List<String> launcher, String classPath, Path workDir) {
        return new Cli(home, launcher, classPath, workDir, false);
    }

    /** The same {@code JBITS_HOME} and command, with {@code launcher} before {@code java}. */
    Cli runningAs(List<String> launcher) {
        return new Cli(home, launcher, classPath, home, false);
    }

    /**
     * Sets a variable in the environment of the next {@code jbits} runs (and so of the service they start, which
     * inherits the CLI's environment); returns this CLI.
     */
    Cli environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** The state directory ({@code JBITS_HOME}): database, socket, pid file, service log. */
    Path home() {
        return home;
    }

    /** Runs {@code jbits ARGS} and returns its exit code and output, whatever they are. */
    Os.Result run(String... args) {
        return run(CALL_TIMEOUT, args);
    }

    /** Runs {@code jbits ARGS}, killed after {@code timeout}. */
    Os.Result run(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(CliJar.options(classPath, args));
        command.addAll(List.of("-cp", classPath, MAIN));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder().directory(workDir.toFile());
        builder.environment().put("XDG_CACHE_HOME", CliJar.cacheHome().toString());
        builder.environment().putAll(environment);
        builder.environment().put("JBITS_HOME", home.toString());
        return Os.run(command, timeout, builder);
    }

    /** Runs {@code jbits ARGS}, fails the test unless it exits 0, and returns its standard output, stripped. */
    String ok(String... args) {
        Os.Result result = run(args);
        if (!result.ok()) {
            throw new AssertionError("jbits " + String.join(" ", args) + " exited " + result.exitCode()
                    + "\nstdout: " + result.stdout() + "\nstderr: " + result.stderr() + serviceLogTail());
        }
        return result.stdout().strip();
    }

    /** {@code jbits create [--priority P] NAME}: the new job's id. */
    String createJob(String name, String priority) {
        String id = ok("create", "--priority", priority, name);
        if (id.isEmpty() || id.contains("\n")) {
            throw new AssertionError("create should print the job id and only that, printed: " + id);
        }
        return id;
    }

    /** {@code jbits info JOB --json}, parsed. */
    JsonNode info(String job) {
        return parse(ok("info", job, "--json"));
    }

    /** {@code jbits list --json}, parsed (an array). */
    JsonNode list() {
        return parse(ok("list", "--json"));
    }

    /** {@code jbits list --all --json}: final jobs too. */
    JsonNode listAll() {
        return parse(ok("list", "--all", "--json"));
    }

    /** Polls {@code info --json} until the job is in {@code state}; fails early if it settles elsewhere. */
    JsonNode awaitState(String job, String state, Duration timeout) {
        return awaitInfo(job, "state " + state, timeout, info -> state.equals(info.path("state").asText()));
    }

    /**
     * Polls {@code info --json} until {@code condition} holds and returns that snapshot. Fails at once when the job
     * rests in a state it never leaves by itself (ERROR, TRANSFERRED, ACKNOWLEDGED, CANCELLED) without meeting it.
     */
    JsonNode awaitInfo(String job, String what, Duration timeout, Predicate<JsonNode> condition) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            await(job + ": " + what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        JsonNode info = info(job);
                        last.set(info);
                        if (condition.test(info)) {
                            return true;
                        }
                        if (SETTLED.contains(info.path("state").asText())) {
                            throw new AssertionError("job " + job + " settled without " + what + ": " + info
                                    + serviceLogTail());
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("job " + job + " not " + what + " within " + timeout + "; last info: "
                    + last.get() + serviceLogTail(), e);
        }
        return last.get();
    }

    /** The pid in {@code service.pid}, if the file exists. */
    Optional<Long> servicePid() {
        Path file = home.resolve("service.pid");
        try {
            String text = Files.exists(file) ? Files.readString(file).strip() : "";
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** SIGKILLs the running service (the pid in service.pid) and waits until it is gone. */
    long kill9Service() {
        long pid = servicePid().orElseThrow(() -> new AssertionError("no service.pid in " + home));
        if (ProcessHandle.of(pid).isEmpty()) {
            throw new AssertionError("service.pid says " + pid + " but no such process runs");
        }
        Os.kill9(pid);
        return pid;
    }

    /** The last lines of the service log, to explain a failure. */
    String serviceLogTail() {
        Path log = home.resolve("service.log");
        try {
            if (!Files.isReadable(log)) {
                return "\n(no service.log)";
            }
            List<String> lines = Files.readAllLines(log);
            return "\n--- service.log (tail) ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "\n(service.log unreadable: " + e + ")";
        }
    }

    /** Stops the service of this JBITS_HOME (politely, then SIGKILL) and deletes the directory. */
    @Override
    public void close() {
        if (!ownsHome) {
            return;
        }
        try {
            run(Duration.ofSeconds(30), "service", "stop");
        } catch (AssertionError | RuntimeException e) {
            // the SIGKILL below is the fallback
        }
        servicePid().filter(Cli::isJava).ifPresent(Os::kill9);
        Os.deleteTree(home);
    }

    /** Guards the SIGKILL: a stale pid file may name a process that is not ours any more. */
    private static boolean isJava(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().command()).map(c -> c.endsWith("/java")).orElse(false);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
