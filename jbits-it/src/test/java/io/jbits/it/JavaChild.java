package io.jbits.it;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A JVM child process on this test's class path that a torture test starts, SIGKILLs and starts again: the jbits
 * service itself ({@code io.jbits.daemon.Main}, without the CLI in front, so a restart costs one JVM, not two) or
 * {@code jbits serve}. Its output is appended to a log file, which survives the kills.
 */
final class JavaChild implements AutoCloseable {
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private final Path workDir;
    private Process process;
    private int starts;

    private JavaChild(List<String> command, Map<String, String> environment, Path log, Path workDir) {
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.log = log;
        this.workDir = workDir;
    }

    /** The jbits service of {@code home} (its own JBITS_HOME), logging to {@code home/service.log}. */
    static JavaChild service(Path home, Map<String, String> extraEnvironment) {
        Map<String, String> env = new java.util.HashMap<>(extraEnvironment);
        env.put("JBITS_HOME", home.toString());
        return new JavaChild(java("io.jbits.daemon.Main", List.of()), env, home.resolve("service.log"), home);
    }

    /** {@code jbits serve ARGS}, logging to {@code log}. */
    static JavaChild serve(List<String> args, Path log) {
        List<String> all = new ArrayList<>(List.of("serve"));
        all.addAll(args);
        return new JavaChild(java(Cli.MAIN, all), Map.of(), log, log.getParent());
    }

    private static List<String> java(String main, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(args);
        return cmd;
    }

    /** Starts the process (the previous one must be gone). */
    void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("still running: pid " + process.pid());
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        starts++;
    }

    /** Waits until {@code ready} holds; fails with the log's tail when the process dies or the time is up. */
    void awaitReady(BooleanSupplier ready, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("process exited with status " + process.exitValue() + " before it was "
                        + "ready: " + command.getLast() + "\n" + Logs.tail(log, 30));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not ready within " + timeout + ": " + String.join(" ", command)
                        + "\n" + Logs.tail(log, 30));
            }
            Thread.sleep(20);
        }
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill9() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("pid " + process.pid() + " still alive 10 s after SIGKILL");
            }
        }
    }

    /** True while the last started process runs. */
    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** How many times this child was started. */
    int starts() {
        return starts;
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            kill9();
        }
    }

    /** The tail of a log file, to explain a failure. */
    static final class Logs {
        private Logs() {
        }

        static String tail(Path log, int lines) {
            try {
                List<String> all = java.nio.file.Files.readAllLines(log);
                return "--- " + log + " (tail) ---\n"
                        + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
            } catch (IOException | RuntimeException e) {
                return "(" + log + " unreadable: " + e + ")";
            }
        }
    }
}
