package io.jbits.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@code jbits serve} child process on a free loopback port, stopped with SIGTERM (then SIGKILL) at close. */
final class ServeProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ServeProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Runs {@code jbits serve DIR --port P ARGS...}, logging to {@code log}, and waits until it answers. */
    static ServeProcess start(Path served, Path log, String... args) throws IOException {
        return start(served, log, Os.freeLoopbackPort(), args);
    }

    /** The same on {@code port} (a restart on the port of a stopped server). */
    static ServeProcess start(Path served, Path log, int port, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Cli.MAIN, "serve", served.toString(), "--port", Integer.toString(port)));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ServeProcess serve = new ServeProcess(p, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Os.answers(port)) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                serve.close();
                throw new IOException("jbits serve did not start on port " + port + ": " + serve.log());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        return serve;
    }

    int port() {
        return port;
    }

    Process process() {
        return process;
    }

    /** What the server printed so far. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(" + log + " unreadable: " + e + ")";
        }
    }

    /** Sends SIGTERM and waits for the process to end; returns its exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("jbits serve did not stop within 60 s of SIGTERM: " + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
