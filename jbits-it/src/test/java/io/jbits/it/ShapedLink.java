package io.jbits.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A 20 Mbit/s link with a deep buffer between an nginx and a client, in three network namespaces of their own, built
 * and torn down by {@code bench/shaped-link.sh} (the same set-up {@code bench/bandwidth.sh} measures on). Root only.
 *
 * <p>Commands run in the client namespace through {@link #inClient}; a jbits service started from there stays there
 * (its Unix socket is a file, so the CLI can reach it from anywhere).
 */
final class ShapedLink implements AutoCloseable {
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern PING_TIME = Pattern.compile("time=([0-9.]+) ms");

    private final Path script;
    private final String name;
    private final Map<String, String> vars;

    private ShapedLink(Path script, String name, Map<String, String> vars) {
        this.script = script;
        this.name = name;
        this.vars = Map.copyOf(vars);
    }

    /** Builds the link and starts nginx serving {@code data} at {@link #url}; fails the test unless it worked. */
    static ShapedLink up(Path data) {
        if (!Os.isRoot()) {
            throw new AssertionError("the shaped link needs root (ip netns, tc); CI runs .ci/run as root");
        }
        Path script = script();
        // Unique per process and instance: two builds on one machine never share a namespace.
        String name = "jbl" + ProcessHandle.current().pid() + "x" + INSTANCES.incrementAndGet();
        Os.Result result = Os.run(SCRIPT_TIMEOUT, "bash", script.toString(), "up", name, data.toString());
        if (!result.ok()) {
            Os.run(SCRIPT_TIMEOUT, "bash", script.toString(), "down", name);
            throw new AssertionError("shaped-link.sh up failed (" + result.exitCode() + "): " + result.stderr()
                    + result.stdout());
        }
        Map<String, String> vars = new HashMap<>();
        for (String line : result.stdout().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                vars.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return new ShapedLink(script, name, vars);
    }

    /** {@code bench/shaped-link.sh} of this checkout (the tests run in the module directory). */
    private static Path script() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("bench").resolve("shaped-link.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("bench/shaped-link.sh not found above " + Path.of("").toAbsolutePath());
    }

    /** The shaper's rate in bytes per second (on the wire: headers included). */
    long rateBytesPerSecond() {
        return Long.parseLong(vars.get("RATE_KBIT")) * 1000 / 8;
    }

    /** {@code http://SERVER/path} as seen from the client namespace. */
    String url(String path) {
        return "http://" + vars.get("SERVER") + (path.startsWith("/") ? path : "/" + path);
    }

    /** {@code command} prefixed so that it runs in the client namespace. */
    List<String> inClient(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", vars.get("CLIENT_NS")));
        full.addAll(List.of(command));
        return full;
    }

    /** Starts {@code curl URL -o file} in the client namespace, stopped after {@code maxTime}. */
    Process startCurl(String url, Path file, Duration maxTime) {
        return start(inClient("curl", "-s", "-o", file.toString(), "--max-time",
                Long.toString(maxTime.toSeconds()), url));
    }

    /** Starts {@code count} pings across the link, one each 100 ms; {@link #pingTimes} collects them. */
    Process startPing(int count) {
        return start(inClient("ping", "-n", "-i", "0.1", "-W", "1", "-c", Integer.toString(count),
                vars.get("SERVER")));
    }

    /** The round trips (ms) a ping process printed, once it has ended. */
    static List<Double> pingTimes(Process ping) {
        try {
            if (!ping.waitFor(60, TimeUnit.SECONDS)) {
                ping.destroyForcibly();
                throw new AssertionError("ping did not end within 60 s");
            }
            String out = new String(ping.getInputStream().readAllBytes());
            List<Double> times = new ArrayList<>();
            Matcher m = PING_TIME.matcher(out);
            while (m.find()) {
                times.add(Double.parseDouble(m.group(1)));
            }
            return times;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Process start(List<String> command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Stops nginx and deletes the namespaces (and with them the veths, addresses and shaper). */
    @Override
    public void close() {
        Os.Result result = Os.run(SCRIPT_TIMEOUT, "bash", script.toString(), "down", name);
        if (!result.ok()) {
            throw new AssertionError("shaped-link.sh down " + name + " failed: " + result.stderr());
        }
    }
}
