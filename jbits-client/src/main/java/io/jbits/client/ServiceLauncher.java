package io.jbits.client;

import io.jbits.rest.Json;
import io.jbits.rest.ServiceEntryPoint;
import io.jbits.rest.ServicePaths;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Starts the user's service in the background: {@code setsid java …} and {@link ServiceEntryPoint#MAIN_CLASS},
 * detached from the terminal (so Ctrl-C in it never reaches the service), stdin from /dev/null, output appended to
 * the service log.
 * The service runs on this process's class path when it holds the daemon (the CLI, applications that bundle it);
 * otherwise the {@code jbits} command ({@code $JBITS_CMD}, else the first on {@code PATH}) starts it.
 *
 * <p>Two CLIs starting a service at the same moment are fine: the second service finds the state directory locked
 * and exits 0, and both CLIs connect to the first.
 */
public final class ServiceLauncher {
    /**
     * A service that exits is noticed at once; this bounds only a live one that is slow to answer, as one loading a
     * queue of 100,000 jobs on a busy machine is (bench/scale.sh saw more than 15 s at a load average of 19).
     */
    private static final long START_TIMEOUT_MILLIS = 60_000;
    private static final long POLL_MILLIS = 20;
    private static final int LOG_LINES = 8;

    private ServiceLauncher() {
    }

    /**
     * Starts a service and returns a client once it answers; fails with the end of the log otherwise. The client's
     * JSON reader is made while the service loads its jobs, and the socket is polled every {@value #POLL_MILLIS} ms.
     */
    public static ServiceClient start(ServicePaths paths) throws IOException {
        requireOwnStateDirectory(paths.stateDir());
        paths.createDirectories();
        ProcessBuilder pb = new ProcessBuilder(command(paths));
        if (paths.socket().equals(paths.stateDir().resolve("jbits.sock"))) {
            pb.environment().put("JBITS_HOME", paths.stateDir().toString()); // these paths, whatever the env says
        }
        pb.directory(paths.stateDir().toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(paths.log().toFile()));
        pb.redirectErrorStream(true);
        Process process = pb.start();
        ServiceClient client = ServiceClient.open(paths.socket());
        Json.prepare();
        try {
            awaitAnswer(process, client, paths);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
        letGo(process);
        return client;
    }

    private static void awaitAnswer(Process process, ServiceClient client, ServicePaths paths) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT_MILLIS * 1_000_000;
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (Files.exists(paths.socket())) {
                try {
                    client.checkAnswers();
                    return;
                } catch (IOException e) {
                    last = e;
                }
            }
            // Exit 0 means another service won the lock: keep waiting for that one to answer.
            if (!process.isAlive() && process.exitValue() != 0) {
                throw failure("the jbits service exited with status " + process.exitValue(), paths);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting the jbits service", e);
            }
        }
        throw failure("the jbits service did not answer on " + paths.socket() + " within "
                + START_TIMEOUT_MILLIS / 1000 + " s" + (last == null ? "" : " (" + last.getMessage() + ")"), paths);
    }

    /**
     * Ends the shell that waited on the service, which runs on in its own session. A JVM with a child process
     * alive waits 300 ms at its exit (its reaper thread is in native code), and a short CLI run exits right after
     * starting the service.
     */
    private static void letGo(Process shell) {
        shell.destroyForcibly();
        try {
            shell.waitFor(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Each user runs their own service: refuse, clearly, to start one in another user's state directory. */
    private static void requireOwnStateDirectory(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String owner = Files.getOwner(dir).getName();
        String me = System.getProperty("user.name");
        if (!owner.equals(me)) {
            throw new IOException("the jbits state directory " + dir + " belongs to " + owner + ", not to " + me
                    + "; set JBITS_HOME to a directory of your own");
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("the jbits state directory " + dir + " is not writable");
        }
    }

    /**
     * The daemon's command line: the same java and class path as this process, else {@code jbits service start};
     * run by a shell that waits for it and exits with its status, so the launcher can end that shell (not the
     * service) once the service answers.
     */
    static List<String> command(ServicePaths paths) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "\"$@\" & wait $!", "jbits-service"));
        if (!daemonOnClassPath()) {
            cmd.add(jbitsCommand()); // it starts the service detached, waits for it to answer, and exits 0
            cmd.add("service");
            cmd.add("start");
            return cmd;
        }
        setsid().ifPresent(cmd::add);
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // A small service, not a quarter of RAM. Serial GC: no collector threads and no G1 side tables (~40 MiB at
        // this size); a fixed 4 MiB young generation (every page of it is touched once it fills: 8 MiB cost an idle
        // service 3-6 MiB more RSS; 2 MiB cost the 2,000-file download 10-15% more of the service's CPU), and an old
        // one grown only to what stays live (10-30% free).
        // 1 GiB is a ceiling for huge queues (100,000 jobs live in about 75 MiB). Chosen by bench/scale.sh (README,
        // "Scale"). The service gives freed heap and native memory back itself once its transfers end (IdleMemory),
        // and no library it uses needs finalization: no finalizer thread (docs/systemd.md, "Threads and memory").
        cmd.addAll(List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmn4m", "-Xmx1g", "-XX:MinHeapFreeRatio=10",
                "-XX:MaxHeapFreeRatio=30", "--finalization=disabled"));
        // The class-data archives mapped where they were made to be, not relocated: relocating writes a pointer in
        // nearly every page of them, which makes all 20-30 MiB private, resident memory for the service's life
        // (16 MiB more RSS, idle; docs/systemd.md). What it gives up: a random address for the archives.
        cmd.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        String classPath = absoluteClassPath();
        cmd.addAll(StartupArchive.jvmOptions(paths, classPath)); // a third off the JVM's start
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(ServiceEntryPoint.MAIN_CLASS);
        return cmd;
    }

    private static boolean daemonOnClassPath() {
        return ServiceLauncher.class.getClassLoader().getResource(ServiceEntryPoint.classResource()) != null;
    }

    private static String jbitsCommand() throws IOException {
        String explicit = System.getenv("JBITS_CMD");
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, "jbits");
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        throw new IOException("cannot start the jbits service: the daemon is not on this class path and no jbits "
                + "command is on PATH (set JBITS_CMD to it)");
    }

    private static Optional<String> setsid() {
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            return Optional.of("/usr/bin/setsid");
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Arrays.stream(path.split(File.pathSeparator)).filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "setsid")).filter(Files::isExecutable).map(Path::toString).findFirst();
    }

    /** The class path with absolute entries, as the service runs in its state directory. */
    private static String absoluteClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.isEmpty())
                .map(e -> Path.of(e).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static IOException failure(String what, ServicePaths paths) {
        return new IOException(what + "; last lines of " + paths.log() + ":" + tail(paths.log()));
    }

    /** The end of a file (at most 64 KiB) as text; the log grows for as long as the user keeps it. */
    private static String lastBytes(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size, 64 * 1024));
            long position = size - buf.capacity();
            while (buf.hasRemaining() && ch.read(buf, position + buf.position()) > 0) {
                // read until the buffer is full
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        }
    }

    /** The log's last lines without stack frames, each on its own indented line. */
    private static String tail(Path log) {
        try {
            List<String> lines = lastBytes(log).lines()
                    .filter(l -> !l.isBlank() && !l.stripLeading().startsWith("at ")
                            && !l.stripLeading().startsWith("..."))
                    .toList();
            List<String> last = lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size());
            return last.isEmpty() ? " (empty)" : last.stream().map(l -> "\n  | " + l).collect(Collectors.joining());
        } catch (IOException e) {
            return " (unreadable: " + e.getMessage() + ")";
        }
    }
}
