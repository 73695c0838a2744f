package io.jbits.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.JobChanges;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.NewFile;
import io.jbits.api.NewJob;
import io.jbits.api.Priority;
import io.jbits.client.ServiceClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The network cut instead of the process: a {@link FaultProxy} between jbits and nginx resets connections at
 * random (seeded) byte offsets, and nginx itself is killed and started again mid-transfer. Every job ends
 * TRANSFERRED with exactly the source's bytes. {@code -Dfaults.seed=N} replays a run, {@code -Dfaults.count=N}
 * sets how many resets to play (default 30).
 */
class NetworkFaultTest extends EndToEnd {
    static final long SEED = Long.getLong("faults.seed", System.nanoTime());
    static final int FAULTS = Integer.getInteger("faults.count", 30);
    private ServiceClient client;

    @AfterEach
    void disconnect() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void connectionsResetAtRandomOffsetsLoseNothing() throws Exception {
        System.out.printf("network faults: seed %d (-Dfaults.seed=%d replays it), %d resets%n", SEED, SEED, FAULTS);
        Path big = TestData.randomFile(data.resolve("big.bin"), 24 * MIB + 5, 40);
        Path medium = TestData.randomFile(data.resolve("medium.bin"), 6 * MIB + 77, 41);
        List<Path> smalls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            smalls.add(TestData.randomFile(data.resolve("small-" + i + ".bin"), 100_000 + 150_000L * i, 42 + i));
        }
        startNginx("2m");
        FaultProxy proxy = closeLater(FaultProxy.start(nginx.port(), SEED, FAULTS, 2L * MIB));
        connect();

        // Rounds of three jobs until every fault is played (a round whose connections all end early owes them).
        int errors = 0;
        int rounds = 0;
        while (proxy.faultsPlayed() < FAULTS && rounds < 10) {
            String r = "r" + rounds++ + "_";
            List<String> jobs = List.of(
                    job(r + "foreground", Priority.FOREGROUND, proxy, List.of(big, smalls.get(0), smalls.get(1))),
                    job(r + "normal", Priority.NORMAL, proxy, List.of(medium, smalls.get(2), smalls.get(3))),
                    job(r + "low", Priority.LOW, proxy, smalls.subList(2, 6)));
            awaitTransferred(jobs, Duration.ofMinutes(3));
            for (String id : jobs) {
                errors += client.job(id).errorCount();
                assertEquals(JobState.ACKNOWLEDGED, client.complete(id).state());
            }
            assertDownloadsWhole();
        }
        System.out.printf("network faults: seed %d: %d resets played over %d connections in %d rounds, %d transient "
                + "errors seen by the jobs, every byte right%n", SEED, proxy.faultsPlayed(), proxy.connections(),
                rounds, errors);
        // A cut armed on a pooled connection that is never used again stays unplayed: most, not all, must land.
        assertTrue(proxy.faultsPlayed() >= FAULTS * 3 / 4, "most faults were played: " + proxy.faultsPlayed());
        assertTrue(errors > 0, "the jobs saw the resets");
    }

    @Test
    void nginxKilledAndRestartedMidDownloadLosesNothing() throws Exception {
        Path big = TestData.randomFile(data.resolve("restarts.bin"), 24 * MIB + 3, 50);
        startNginx("4m");
        connect();
        String id = job("restarts", Priority.FOREGROUND, null, List.of(big));
        int restarts = 3;
        for (int i = 1; i <= restarts; i++) {
            long mark = i * 5L * MIB;
            cli.awaitInfo(id, "past " + mark, STATE_TIMEOUT, info -> bytesTransferred(info) > mark);
            nginx.killAndRestart(Duration.ofSeconds(2));
        }
        awaitTransferred(List.of(id), TRANSFER_TIMEOUT);
        JobInfo done = client.job(id);
        assertEquals(JobState.ACKNOWLEDGED, client.complete(id).state());
        assertDownloadsWhole();
        assertTrue(done.errorCount() >= 1, "the job saw the server go away: " + done);
        System.out.printf("network faults: nginx killed and restarted %d times mid-download, %d errors seen, "
                + "every byte right%n", restarts, done.errorCount());
    }

    /** A download job of {@code sources} (through the proxy when given), min retry delay 1 s, resumed: its id. */
    private String job(String name, Priority priority, FaultProxy proxy, List<Path> sources) {
        JobInfo job = client.create(new NewJob(name, JobType.DOWNLOAD, priority, ""));
        List<NewFile> files = new ArrayList<>();
        for (Path source : sources) {
            String path = (proxy == null ? "/slow/" : "/") + source.getFileName();
            String url = proxy == null ? nginx.url(path) : proxy.url(path);
            files.add(new NewFile(url, dest.resolve(name + "-" + source.getFileName()).toString()));
        }
        client.addFiles(job.id(), files);
        client.change(job.id(), JobChanges.none().withMinRetryDelay(Duration.ofSeconds(1)));
        client.resume(job.id());
        return job.id();
    }

    private void awaitTransferred(Iterable<String> ids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String id : ids) {
            while (true) {
                JobInfo info = client.job(id);
                if (info.state() == JobState.TRANSFERRED) {
                    break;
                }
                if (info.state() == JobState.ERROR || System.nanoTime() > deadline) {
                    throw new AssertionError("seed " + SEED + ": job not TRANSFERRED: " + info
                            + cli.serviceLogTail());
                }
                Thread.sleep(200);
            }
        }
    }

    /** Every file in the destination is named JOB-SOURCE and holds the source's bytes; no temporaries are left. */
    private void assertDownloadsWhole() throws Exception {
        try (Stream<Path> files = Files.list(dest)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                assertTrue(!name.contains(".jbits-"), "temporary left: " + name);
                assertSameBytes(data.resolve(name.substring(name.indexOf('-') + 1)), file);
                Files.delete(file);
            }
        }
    }

    private void connect() throws Exception {
        cli.ok("service", "start");
        client = ServiceClient.connect(cli.home().resolve("jbits.sock"));
    }
}
