package io.jbits.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The network of an upload farm in network namespaces of its own: a client, a load balancer and some nodes, each
 * behind a 20 Mbit/s tbf-shaped router, built and torn down by {@code bench/farm-link.sh}. Root only.
 *
 * <p>Programs run in a namespace through the launcher {@link #in} returns ({@code ip netns exec NS}); a process
 * started so stays there. Files are shared: the namespaces separate the network only.
 */
final class FarmLink implements AutoCloseable {
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

    private final Path script;
    private final String name;
    private final int nodes;
    private final Map<String, String> vars;

    private FarmLink(Path script, String name, int nodes, Map<String, String> vars) {
        this.script = script;
        this.name = name;
        this.nodes = nodes;
        this.vars = Map.copyOf(vars);
    }

    /** Builds the namespaces of a client, a balancer and {@code nodes} nodes; fails the test unless it worked. */
    static FarmLink up(int nodes) {
        if (!Os.isRoot()) {
            throw new AssertionError("the farm link needs root (ip netns, tc); CI runs .ci/run as root");
        }
        Path script = script();
        // Unique per process and instance: two builds on one machine never share a namespace.
        String name = "jbf" + ProcessHandle.current().pid() + "x" + INSTANCES.incrementAndGet();
        Os.Result result = Os.run(SCRIPT_TIMEOUT, "bash", script.toString(), "up", name, Integer.toString(nodes));
        if (!result.ok()) {
            Os.run(SCRIPT_TIMEOUT, "bash", script.toString(), "down", name, Integer.toString(nodes));
            throw new AssertionError("farm-link.sh up failed (" + result.exitCode() + "): " + result.stderr()
                    + result.stdout());
        }
        Map<String, String> vars = new HashMap<>();
        for (String line : result.stdout().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                vars.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return new FarmLink(script, name, nodes, vars);
    }

    /** {@code bench/farm-link.sh} of this checkout (the tests run in the module directory). */
    private static Path script() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("bench").resolve("farm-link.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("bench/farm-link.sh not found above " + Path.of("").toAbsolutePath());
    }

    /** The launcher that runs a command in the namespace {@code key} names (CLIENT, LB, NODE0, ...). */
    List<String> in(String key) {
        return new ArrayList<>(List.of("ip", "netns", "exec", vars.get(key + "_NS")));
    }

    /** The address of {@code key} (CLIENT, LB, NODE0, ...), reachable from every namespace of this farm. */
    String address(String key) {
        return vars.get(key);
    }

    /** The shaper's rate in bits per second. */
    long rateBitsPerSecond() {
        return Long.parseLong(vars.get("RATE_KBIT")) * 1000;
    }

    /** Deletes the namespaces (and with them the veths, addresses and shapers). */
    @Override
    public void close() {
        Os.Result result = Os.run(SCRIPT_TIMEOUT, "bash", script.toString(), "down", name, Integer.toString(nodes));
        if (!result.ok()) {
            throw new AssertionError("farm-link.sh down " + name + " failed: " + result.stderr());
        }
    }
}
