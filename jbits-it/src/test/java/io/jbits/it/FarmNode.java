package io.jbits.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node of an upload farm: a {@code jbits serve} child process on a fixed loopback address and port, which a
 * test can {@code kill -9} and start again on the same address, as a farm's node crashes and comes back.
 */
final class FarmNode implements AutoCloseable {

    private final Path served;
    private final Path log;
    private final String bind;
    private final int port;
    private final List<String> args;
    private final List<String> launcher;
    private Process process;

    private FarmNode(List<String> launcher, Path served, Path log, String bind, int port, List<String> args) {
        this.launcher = List.copyOf(launcher);
        this.served = served;
        this.log = log;
        this.bind = bind;
        this.port = port;
        this.args = List.copyOf(args);
    }

    /** Starts {@code jbits serve SERVED --bind BIND --port PORT ARGS...}, logging to {@code log}. */
    static FarmNode start(Path served, Path log, String bind, int port, String... args) throws IOException {
        return startWith(List.of(), served, log, bind, port, args);
    }

    /**
     * The same, with {@code launcher} before {@code java} (e.g. {@code ip netns exec NS}, which execs the command, so
     * that the process started is the node itself and {@link #kill9} kills it).
     */
    static FarmNode startWith(List<String> launcher, Path served, Path log, String bind, int port, String... args)
            throws IOException {
        FarmNode node = new FarmNode(launcher, served, log, bind, port, List.of(args));
        node.start();
        return node;
    }

    /** Starts the process again (after {@link #kill9}) and waits until it accepts connections. */
    void start() throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Cli.MAIN, "serve", served.toString(),
                "--bind", bind, "--port", Integer.toString(port)));
        command.addAll(args);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!answers()) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                close();
                throw new IOException("jbits serve did not start on " + bind + ":" + port + ": " + log());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
    }

    private boolean answers() {
        if (!launcher.isEmpty()) {
            /* The node's address exists only where the launcher puts it (a network namespace): knock from there. */
            List<String> knock = new ArrayList<>(launcher);
            knock.addAll(List.of("bash", "-c", "exec 3<>/dev/tcp/" + bind + "/" + port));
            return Os.run(java.time.Duration.ofSeconds(5), knock.toArray(String[]::new)).ok();
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(bind, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL: no shutdown hook runs, requests in flight are cut, record locks are released by the kernel. */
    void kill9() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    String address() {
        return bind + ":" + port;
    }

    int port() {
        return port;
    }

    /** What the node printed so far, over all its runs. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(" + log + " unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
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
