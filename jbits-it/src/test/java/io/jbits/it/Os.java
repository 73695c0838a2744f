package io.jbits.it;

import com.sun.security.auth.module.UnixSystem;
import io.jbits.client.ProcessEnd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small operating-system helpers the end-to-end harness shares: processes, ports, users. */
final class Os {
    private Os() {
    }

    /** The output and exit code of a finished command. */
    record Result(int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** True when this JVM runs with effective uid 0 (CI runs as root). */
    static boolean isRoot() {
        return new UnixSystem().getUid() == 0;
    }

    /** A port on 127.0.0.1 that was free a moment ago (the kernel's ephemeral range). */
    static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** True when something accepts TCP connections on 127.0.0.1:port. */
    static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Runs a command to its end, output captured in files (a child that leaves a grandchild holding the pipes, such
     * as the CLI starting the service, cannot block us), killed after {@code timeout}.
     */
    static Result run(List<String> command, Duration timeout, ProcessBuilder builder) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("jbits-it-out", ".txt");
            err = Files.createTempFile("jbits-it-err", ".txt");
            builder.command(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command)
                        + "\nstdout: " + Files.readString(out) + "\nstderr: " + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Runs a command with the JVM's environment and working directory. */
    static Result run(Duration timeout, String... command) {
        return run(List.of(command), timeout, new ProcessBuilder());
    }

    /** Kills a process with SIGKILL and waits until it is gone (or a zombie, which holds nothing). */
    static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(handle -> {
            handle.destroyForcibly();
            awaitEnd(handle, Duration.ofSeconds(10));
        });
    }

    /**
     * Waits until a process has ended ({@link ProcessEnd}: promptly, also for one that is not this JVM's child and
     * that no one has reaped yet); fails the test after {@code timeout}.
     */
    static void awaitEnd(ProcessHandle process, Duration timeout) {
        try {
            if (!ProcessEnd.await(process, timeout)) {
                throw new AssertionError("process " + process.pid() + " still alive after " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for process " + process.pid(), e);
        }
    }

    /** Deletes a file or a directory tree; ignores what is already gone. */
    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(Os::deleteQuietly);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a leftover temp file is harmless; the test's own assertions decide
        }
    }
}
