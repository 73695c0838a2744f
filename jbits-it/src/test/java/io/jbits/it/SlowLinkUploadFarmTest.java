package io.jbits.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An upload farm (issue #17) on a slow link: three {@code jbits serve} nodes on one shared upload directory, each in
 * a network namespace of its own, behind nginx round robin in another, and the jbits client in a fourth, all joined
 * by a 20 Mbit/s tbf-shaped router ({@link FarmLink}, root only), while a node at a time is killed with SIGKILL.
 *
 * <p>Windows-style fragments: the client's fragment sizer starts at 1 MiB, halves a fragment that takes over 4 s
 * and doubles one that takes under 1 s. Six uploads sharing the 20 Mbit/s link get about 3 Mbit/s each, so their
 * fragments stay between a few hundred KiB and 1 MiB, as Windows BITS sends on such a link (there is no setting:
 * the link's rate makes them so, and the test checks that it did).
 */
class SlowLinkUploadFarmTest extends EndToEnd {

    private static final long SEED = 1717;
    private static final int JOBS = 6;
    private static final int KILLS = 5;
    private static final int NODE_PORT = 8080;
    private static final int LB_PORT = 80;
    private static final int NOTIFY_PORT = 8081;
    private static final Duration FARM_TIMEOUT = Duration.ofMinutes(4);

    private final List<FarmNode> nodes = new ArrayList<>();
    private FarmLink link;
    private NginxRoundRobin balancer;
    private NotificationReceiver app;
    private UnixRelay relay;

    @AfterEach
    void stopFarm() throws IOException {
        try {
            nodes.forEach(FarmNode::close);
            if (balancer != null) {
                balancer.close();
            }
            if (relay != null) {
                relay.close();
            }
            if (app != null) {
                app.close();
            }
        } finally {
            if (link != null) {
                /* The client's service runs in the client namespace: stop it before that namespace goes. */
                cli.run("service", "stop");
                link.close();
            }
        }
    }

    @Test
    void threeNodesInTheirOwnNamespacesBehindASlowLinkLoseNothingWhileARandomNodeIsKilled() throws Exception {
        link = FarmLink.up(3);
        Path shared = Files.createDirectories(data.resolve("shared"));
        Path served = Files.createDirectories(data.resolve("served"));
        app = NotificationReceiver.start();
        /* The nodes reach the application (on this namespace's loopback) through the balancer and a Unix socket:
           namespaces separate networks, not files. */
        Path socket = data.resolve("notify.sock");
        relay = UnixRelay.start(socket, app.address());
        String lb = link.address("LB");
        List<String> upstreams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String key = "NODE" + i;
            nodes.add(FarmNode.startWith(link.in(key), served, data.resolve("node" + i + ".log"), link.address(key),
                    NODE_PORT, "--upload-dir", shared.toString(), "--session-timeout", "30s",
                    "--notify-url", "http://" + lb + ":" + NOTIFY_PORT + "/notify", "--notify-type", "by-reference"));
            upstreams.add(link.address(key) + ":" + NODE_PORT);
        }
        balancer = NginxRoundRobin.startWith(link.in("LB"), lb, LB_PORT, upstreams, """
                server {
                    listen %s:%d;
                    location / { proxy_pass http://unix:%s:; proxy_set_header Host $http_host; }
                  }
                """.formatted(lb, NOTIFY_PORT, socket));
        cli.runningAs(link.in("CLIENT")).ok("service", "start");

        Random random = new Random(SEED);
        List<String> jobs = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            long size = (4 + random.nextInt(9)) * MIB + random.nextInt(4096);
            Path source = TestData.randomFile(dest.resolve("source-" + i + ".bin"), size, 2700 + i);
            sources.add(source);
            String job = cli.ok("create", "--type", "upload", "--priority", "foreground", "slow-" + i).strip();
            cli.ok("set", job, "--min-retry-delay", "1s");
            cli.ok("add", job, balancer.url("/farm/s" + i + ".bin"), source.toString());
            jobs.add(job);
        }
        jobs.forEach(job -> cli.ok("resume", job));

        /* About 50 MiB take some 25 s on the link: the kills (a node takes seconds to restart) land while they run. */
        for (int kill = 0; kill < KILLS; kill++) {
            Thread.sleep(1000 + random.nextInt(1500));
            FarmNode victim = nodes.get(random.nextInt(nodes.size()));
            victim.kill9();
            Thread.sleep(200 + random.nextInt(800));
            victim.start();
        }

        for (String job : jobs) {
            cli.awaitState(job, "TRANSFERRED", FARM_TIMEOUT);
            complete(job);
        }
        for (int i = 0; i < JOBS; i++) {
            assertSameBytes(sources.get(i), shared.resolve("farm/s" + i + ".bin"));
        }
        Path sessions = shared.resolve(".jbits-sessions");
        await("no session left in " + sessions).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> UploadFarmTest.filesBelow(sessions).isEmpty());
        List<String> expected = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        Map<String, String> once = new TreeMap<>();
        for (int i = 0; i < JOBS; i++) {
            expected.add("farm/s" + i + ".bin");
            paths.add("/farm/s" + i + ".bin");
            once.put("/farm/s" + i + ".bin", "once");
        }
        assertEquals(expected.stream().sorted().toList(), UploadFarmTest.filesBelow(shared),
                "nothing but the uploads is left");
        assertEquals(once, app.countsOf(paths), "each upload was notified exactly once");

        String accessLog = balancer.accessLog();
        long cut = accessLog.lines().filter(l -> l.startsWith("BITS_POST ") && !l.split(" ")[2].startsWith("2"))
                .count();
        assertTrue(cut > 0, "harness: the kills should cut packets in flight, nginx logged:\n" + accessLog);
        List<Long> fragments = fragmentSizes(accessLog).stream().sorted().toList();
        long median = fragments.get(fragments.size() / 2);
        System.out.printf("slow-link farm: %d fragments, %d to %d bytes, median %d; %d packets cut or refused%n",
                fragments.size(), fragments.getFirst(), fragments.getLast(), median, cut);
        assertTrue(median <= MIB, "harness: the slow link should keep fragments Windows-sized (1 MiB at most in the"
                + " median), saw a median of " + median + " bytes over " + fragments.size() + " fragments");
    }

    /** The bodies of the Fragment packets nginx passed on, in bytes. */
    private static List<Long> fragmentSizes(String accessLog) {
        List<Long> sizes = new ArrayList<>();
        for (String line : accessLog.split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length >= 6 && fields[fields.length - 2].equalsIgnoreCase("Fragment")
                    && fields[fields.length - 1].matches("[0-9]+")) {
                sizes.add(Long.parseLong(fields[fields.length - 1]));
            }
        }
        assertTrue(!sizes.isEmpty(), "harness: nginx logged the Fragment packets:\n" + accessLog);
        return sizes;
    }
}
