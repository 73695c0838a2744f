package io.jbits.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.JobChanges;
import io.jbits.api.JobType;
import io.jbits.api.NewJob;
import io.jbits.api.Priority;
import io.jbits.client.ServiceClient;
import io.jbits.rest.ServicePaths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Upload farms (issue #17): several {@code jbits serve} nodes behind a real nginx, either all on one shared upload
 * directory with no affinity, or each on its own directory with {@code BITS-Host-Id} affinity, while nodes are
 * killed with SIGKILL.
 */
class UploadFarmTest extends EndToEnd {

    private static final long SEED = 17;
    private static final int JOBS = 30;
    private static final int KILLS = 20;
    private static final Duration FARM_TIMEOUT = Duration.ofMinutes(5);

    private final List<FarmNode> nodes = new ArrayList<>();
    private NginxRoundRobin balancer;
    private NotificationReceiver app;

    @AfterEach
    void stopFarm() {
        nodes.forEach(FarmNode::close);
        if (balancer != null) {
            balancer.close();
        }
        if (app != null) {
            app.close();
        }
    }

    private String uploadJob(String name, String url, Path source) {
        String job = cli.ok("create", "--type", "upload", "--priority", "foreground", name).strip();
        cli.ok("set", job, "--min-retry-delay", "1s");
        cli.ok("add", job, url, source.toString());
        return job;
    }

    @Test
    void threeNodesOnOneSharedDirectoryLoseNothingWhileARandomNodeIsKilledAgainAndAgain() throws Exception {
        Path shared = Files.createDirectories(data.resolve("shared"));
        Path served = Files.createDirectories(data.resolve("served"));
        app = NotificationReceiver.start();
        URI notifyUrl = app.url();
        List<String> upstreams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            FarmNode node = FarmNode.start(served, data.resolve("node" + i + ".log"), "127.0.0.1",
                    Os.freeLoopbackPort(), "--upload-dir", shared.toString(), "--session-timeout", "30s",
                    "--notify-url", notifyUrl.toString(), "--notify-type", "by-reference");
            nodes.add(node);
            upstreams.add(node.address());
        }
        balancer = NginxRoundRobin.start("127.0.0.1", Os.freeLoopbackPort(), upstreams);

        Random random = new Random(SEED);
        List<String> jobs = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        /* Thirty jobs through the service's API rather than 120 CLI runs: a JVM start each would take minutes. */
        cli.ok("service", "start");
        try (ServiceClient service = ServiceClient.connect(ServicePaths.from(
                Map.of("JBITS_HOME", cli.home().toString()), cli.home()).socket())) {
            for (int i = 0; i < JOBS; i++) {
                long size = (4 + random.nextInt(29)) * MIB + random.nextInt(4096);
                Path source = TestData.randomFile(dest.resolve("source-" + i + ".bin"), size, 1700 + i);
                sources.add(source);
                String job = service.create(new NewJob("farm-" + i, JobType.UPLOAD, Priority.FOREGROUND, "")).id();
                service.change(job, JobChanges.none().withMinRetryDelay(Duration.ofSeconds(1)));
                service.addFile(job, balancer.url("/farm/f" + i + ".bin"), source.toString());
                jobs.add(job);
            }
            jobs.forEach(service::resume);
        }

        for (int kill = 0; kill < KILLS; kill++) {
            Thread.sleep(1500 + random.nextInt(1500));
            FarmNode victim = nodes.get(random.nextInt(nodes.size()));
            victim.kill9();
            Thread.sleep(200 + random.nextInt(800));
            victim.start();
        }

        for (int i = 0; i < JOBS; i++) {
            cli.awaitState(jobs.get(i), "TRANSFERRED", FARM_TIMEOUT);
            complete(jobs.get(i));
        }
        for (int i = 0; i < JOBS; i++) {
            assertSameBytes(sources.get(i), shared.resolve("farm/f" + i + ".bin"));
        }
        // Sessions abandoned by a client (after a node it talked to died) expire after 30 s on whichever node.
        Path sessions = shared.resolve(".jbits-sessions");
        await("no session left in " + sessions).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> filesBelow(sessions).isEmpty());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            expected.add("farm/f" + i + ".bin");
        }
        assertEquals(expected.stream().sorted().toList(), filesBelow(shared), "nothing but the uploads is left");
        // Exactly once, counting as an application that drops repeats of an upload id does: a repeat is possible
        // only when a node died between its call and its record of the answer, and then it is marked as one.
        List<String> paths = new ArrayList<>();
        Map<String, String> once = new TreeMap<>();
        for (int i = 0; i < JOBS; i++) {
            paths.add("/farm/f" + i + ".bin");
            once.put("/farm/f" + i + ".bin", "once");
        }
        Map<String, String> seen = app.countsOf(paths);
        assertEquals(once, seen, "each upload was notified exactly once");
    }

    @Test
    void withHostIdAffinityAJobWhosePinnedNodeIsKilledCompletesThroughTheFallback() throws Exception {
        int port = Os.freeLoopbackPort();
        Path served = Files.createDirectories(data.resolve("served"));
        List<Path> uploadDirs = new ArrayList<>();
        List<String> upstreams = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String address = "127.0.0.1" + (i + 1);
            Path uploads = Files.createDirectories(data.resolve("node" + i));
            uploadDirs.add(uploads);
            FarmNode node = FarmNode.start(served, data.resolve("node" + i + ".log"), address, port,
                    "--upload-dir", uploads.toString(), "--host-id", address, "--host-id-fallback", "3s");
            nodes.add(node);
            upstreams.add(node.address());
        }
        balancer = NginxRoundRobin.start("127.0.0.1", port, upstreams);
        Path source = TestData.randomFile(dest.resolve("pinned.bin"), 12 * MIB + 321, 1801);
        String job = uploadJob("pinned", balancer.url("/pinned.bin"), source);
        cli.ok("set", job, "--max-rate", "2M");
        cli.ok("resume", job);
        cli.awaitInfo(job, "some bytes acknowledged", STATE_TIMEOUT, info -> bytesTransferred(info) > 0);
        int pinned = -1;
        for (int i = 0; i < 2; i++) {
            if (!filesBelow(uploadDirs.get(i).resolve(".jbits-sessions")).isEmpty()) {
                pinned = i;
            }
        }
        assertTrue(pinned >= 0, "one node holds the session");
        nodes.get(pinned).kill9();

        cli.ok("set", job, "--max-rate", "off");
        cli.awaitState(job, "TRANSFERRED", FARM_TIMEOUT);
        complete(job);
        int other = 1 - pinned;
        assertSameBytes(source, uploadDirs.get(other).resolve("pinned.bin"));
        assertTrue(Files.notExists(uploadDirs.get(pinned).resolve("pinned.bin")), "the killed node never finished");
        assertTrue(cli.info(job).path("errorCount").asInt() >= 1, "the job saw its pinned node go away");
    }

    @Test
    void twoNodeProcessesRacingOnOneSessionWithOverlappingFragmentsAcceptEachByteOnce() throws Exception {
        Path shared = Files.createDirectories(data.resolve("shared"));
        Path served = Files.createDirectories(data.resolve("served"));
        List<Integer> metricsPorts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int metricsPort = Os.freeLoopbackPort();
            metricsPorts.add(metricsPort);
            nodes.add(FarmNode.start(served, data.resolve("node" + i + ".log"), "127.0.0.1", Os.freeLoopbackPort(),
                    "--upload-dir", shared.toString(), "--metrics", "127.0.0.1:" + metricsPort));
        }
        byte[] content = TestData.randomBytes(16 * (int) MIB + 99, 1901);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String id = bitsPost(http, nodes.get(0), "Create-Session", null, content, 0, 0).headers()
                .firstValue("BITS-Session-Id").orElseThrow();
        // Two test clients, one per node, send fragments of the same session that overlap each other's.
        List<Thread> racers = new ArrayList<>();
        List<List<Long>> acks = List.of(new ArrayList<>(), new ArrayList<>());
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int r = 0; r < 2; r++) {
            int racer = r;
            racers.add(Thread.ofPlatform().start(() -> {
                int length = (int) MIB + racer * (int) MIB / 3;
                try {
                    for (int first = 0; first < content.length; first += length / 2) {
                        HttpResponse<Void> ack = bitsPost(http, nodes.get(racer), "Fragment", id, content, first,
                                Math.min(length, content.length - first));
                        assertTrue(ack.statusCode() == 200 || ack.statusCode() == 416, "Ack " + ack.statusCode());
                        acks.get(racer).add(Long.parseLong(ack.headers().firstValue("BITS-Received-Content-Range")
                                .orElseThrow()));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread racer : racers) {
            racer.join(Duration.ofMinutes(2));
        }
        assertEquals(List.of(), failures);
        for (List<Long> acked : acks) {
            for (int i = 1; i < acked.size(); i++) {
                assertTrue(acked.get(i) >= acked.get(i - 1), "an acknowledged length never goes back: " + acked);
            }
        }
        assertEquals(200, bitsPost(http, nodes.get(1), "Close-Session", id, content, 0, 0).statusCode());
        assertEquals(TestData.sha256(content), TestData.sha256(shared.resolve("race.bin")));
        double accepted = 0;
        for (int metricsPort : metricsPorts) {
            accepted += metric(http, metricsPort, "jbits_serve_received_bytes_total");
        }
        assertEquals(content.length, (long) accepted, "the nodes together accepted each byte exactly once");
    }

    /** One BITS packet to {@code node} for /race.bin; a Fragment carries {@code length} bytes from {@code first}. */
    private static HttpResponse<Void> bitsPost(HttpClient http, FarmNode node, String type, String id,
            byte[] content, int first, int length) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + node.address() + "/race.bin"))
                .header("BITS-Packet-Type", type)
                .method("BITS_POST", length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(content, first, length));
        if (id == null) {
            request.header("BITS-Supported-Protocols", "{7df0354d-249b-430f-820d-3d2a9bef4931}");
        } else {
            request.header("BITS-Session-Id", id);
        }
        if (length > 0) {
            request.header("Content-Range", "bytes " + first + "-" + (first + length - 1) + "/" + content.length);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    private static double metric(HttpClient http, int port, String name) throws IOException, InterruptedException {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Every regular file below {@code dir}, relative and sorted; empty when it does not exist. */
    static List<String> filesBelow(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        } catch (java.io.UncheckedIOException e) {
            return List.of("(changing)");
        }
    }
}
