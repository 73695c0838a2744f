package io.jbits.it;

import io.jbits.client.ServiceClient;
import io.jbits.rest.ServicePaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.jbits.it.Throughput.mbit;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Background jobs on a shaped 20 Mbit/s link with a bufferbloated router ({@link ShapedLink}, root only): they use
 * the link when nobody else does, give it up to a competing download and to FOREGROUND jobs, and add little delay.
 *
 * <p>Every figure is compared with curl's on the same link in the same test, never with a constant speed; the
 * thresholds are the (90% of the link, a third of a greedy download's added delay) and each test first
 * checks that the harness shows what it must (curl fills the link; curl's download adds visible delay).
 */
class ScavengingTest extends EndToEnd {
    private static final long BIG = 4L << 30;   // sparse: nginx serves zeros, far more than any test reads
    /** curl's rate alone on the link, bytes per second, once measured. */
    private static double soloRate;

    private ShapedLink link;
    private ServiceClient service;
    private final List<String> jobs = new ArrayList<>();

    @BeforeEach
    void buildTheLink() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(data.resolve("big.bin").toFile(), "rw")) {
            f.setLength(BIG);
        }
        link = ShapedLink.up(data);
        Cli inClient = cli.runningAs(link.inClient());
        inClient.ok("service", "start");
        service = ServiceClient.connect(ServicePaths.from(Map.of("JBITS_HOME", cli.home().toString()),
                cli.home()).socket());
    }

    @AfterEach
    void tearTheLinkDown() {
        try {
            for (String job : jobs) {
                cli.run("cancel", job);
            }
            if (service != null) {
                service.close();
            }
        } finally {
            link.close();
        }
    }

    @Test
    void aBackgroundJobAloneFillsTheLink() throws Exception {
        double solo = curlAlone();
        String job = startJob("alone", "normal", "alone.bin");
        try (Throughput t = jobBytes(job)) {
            pause(Duration.ofSeconds(14));
            double rate = t.bytesPerSecond(Duration.ofSeconds(4), Duration.ofSeconds(14));
            assertTrue(rate >= 0.9 * solo, "a background job alone should reach 90% of curl's " + mbit(solo)
                    + ", reached " + mbit(rate) + cli.serviceLogTail());
        }
    }

    @Test
    void aCompetingDownloadGetsTheLinkWithinTwoSecondsAndTheJobComesBackAfterIt() throws Exception {
        double solo = curlAlone();
        String job = startJob("scavenger", "normal", "bg.bin");
        try (Throughput bg = jobBytes(job)) {
            // How fast the job gets going alone is aBackgroundJobAloneFillsTheLink's to judge; this test needs it
            // running before curl comes, and gives it up to 20 s on a busy machine.
            double before = 0;
            pause(Duration.ofSeconds(8));
            for (int second = 8; second <= 20 && before < 0.5 * solo; second++) {
                Duration now = bg.elapsed();
                before = bg.bytesPerSecond(now.minusSeconds(3), now);
                if (before < 0.5 * solo) {
                    pause(Duration.ofSeconds(1));
                }
            }
            assertTrue(before >= 0.5 * solo, "harness: the job should run before curl comes: " + mbit(before)
                    + "; job held back by: " + service.job(job).heldBack() + cli.serviceLogTail());

            Path out = dest.resolve("curl-competing.bin");
            Process curl = link.startCurl(link.url("/big.bin"), out, Duration.ofSeconds(12));
            String heldBack;
            try (Throughput c = fileSize(out)) {
                pause(Duration.ofSeconds(6));
                heldBack = service.job(job).heldBack();
                assertTrue(curl.waitFor(30, TimeUnit.SECONDS), "curl --max-time 12 ended");
                double competing = c.bytesPerSecond(Duration.ofSeconds(2), Duration.ofSeconds(11));
                assertTrue(competing >= 0.9 * solo, "curl beside a background job should get 90% of its solo "
                        + mbit(solo) + " from its second 2 on, got " + mbit(competing) + "; job held back by: "
                        + heldBack);
            }
            assertTrue(heldBack != null && heldBack.startsWith("competing traffic"),
                    "info says why the job is held back: " + heldBack);
            Duration curlEnded = bg.elapsed();
            pause(Duration.ofSeconds(7));
            double after = bg.bytesPerSecond(curlEnded.plusSeconds(5), curlEnded.plusSeconds(7));
            assertTrue(after >= 0.9 * solo, "5 s after curl the job should be back at 90% of " + mbit(solo)
                    + ", is at " + mbit(after));
        }
    }

    @Test
    void aBackgroundJobAddsAThirdOfTheDelayAGreedyDownloadAdds() throws Exception {
        double idle = median(ShapedLink.pingTimes(link.startPing(20)));

        Path out = dest.resolve("curl-greedy.bin");
        Process curl = link.startCurl(link.url("/big.bin"), out, Duration.ofSeconds(12));
        pause(Duration.ofSeconds(3));
        double greedy = p95(ShapedLink.pingTimes(link.startPing(80))) - idle;
        assertTrue(curl.waitFor(30, TimeUnit.SECONDS), "curl --max-time 12 ended");
        assertTrue(greedy >= 50, "harness: a greedy download should add visible delay (idle " + idle + " ms), added "
                + greedy + " ms");

        String job = startJob("quiet", "normal", "quiet.bin");
        pause(Duration.ofSeconds(5));
        double background = p95(ShapedLink.pingTimes(link.startPing(80))) - idle;
        System.out.printf("delay added (95th percentile): greedy curl %.1f ms, background job %.1f ms (idle %.1f)%n",
                greedy, background, idle);
        assertTrue(background <= greedy / 3, "a background job should add at most a third of curl's " + greedy
                + " ms (95th percentile), added " + background + " ms; job: " + service.job(job).heldBack());
    }

    @Test
    void aForegroundJobBesideABackgroundOneGetsTheLink() throws Exception {
        double solo = curlAlone();
        startJob("background", "low", "bg.bin");
        pause(Duration.ofSeconds(5));
        String fg = startJob("foreground", "foreground", "fg.bin");
        try (Throughput t = jobBytes(fg)) {
            pause(Duration.ofSeconds(12));
            double rate = t.bytesPerSecond(Duration.ofSeconds(2), Duration.ofSeconds(12));
            assertTrue(rate >= 0.9 * solo, "a FOREGROUND job beside a background one should get 90% of "
                    + mbit(solo) + ", got " + mbit(rate));
        }
    }

    @Test
    void aCapHoldsOnTheShapedLink() throws Exception {
        String job = startJob("capped", "normal", "capped.bin");
        cli.ok("set", job, "--max-rate", "1M");
        try (Throughput t = jobBytes(job)) {
            pause(Duration.ofSeconds(12));
            double rate = t.bytesPerSecond(Duration.ofSeconds(2), Duration.ofSeconds(12));
            double cap = 1 << 20;
            assertTrue(rate >= 0.9 * cap && rate <= 1.05 * cap, "a 1 MiB/s cap on a 20 Mbit/s link: measured "
                    + Math.round(rate) + " B/s");
            assertTrue(service.job(job).heldBack().contains("cap"), "held back by its cap: "
                    + service.job(job).heldBack());
        }
    }

    /**
     * curl alone on the link for 8 s, its rate from its second 1 on, measured once for the class (every test builds
     * the same link); checks that the link is the bottleneck.
     */
    private double curlAlone() throws InterruptedException {
        if (soloRate > 0) {
            return soloRate;
        }
        Path out = dest.resolve("curl-alone.bin");
        Process curl = link.startCurl(link.url("/big.bin"), out, Duration.ofSeconds(8));
        double rate;
        try (Throughput t = fileSize(out)) {
            assertTrue(curl.waitFor(30, TimeUnit.SECONDS), "curl --max-time 8 ended");
            rate = t.bytesPerSecond(Duration.ofSeconds(1), Duration.ofMillis(7500));
        }
        deleteQuietly(out);
        assertTrue(rate >= 0.8 * link.rateBytesPerSecond() && rate <= 1.05 * link.rateBytesPerSecond(),
                "harness: curl alone should fill the " + mbit(link.rateBytesPerSecond()) + " link, got " + mbit(rate));
        soloRate = rate;
        return rate;
    }

    private String startJob(String name, String priority, String file) {
        String job = cli.createJob(name, priority);
        jobs.add(job);
        add(job, link.url("/big.bin"), file);
        cli.ok("resume", job);
        return job;
    }

    private Throughput jobBytes(String job) {
        return Throughput.of(() -> service.job(job).bytesTransferred());
    }

    private static Throughput fileSize(Path file) {
        return Throughput.of(() -> {
            try {
                return Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void pause(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());   // a measuring window, not a wait for a condition
    }

    private static double median(List<Double> values) {
        return percentile(values, 0.5);
    }

    private static double p95(List<Double> values) {
        return percentile(values, 0.95);
    }

    private static double percentile(List<Double> values, double p) {
        assertTrue(values.size() >= 10, "ping answered " + values.size() + " times");
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the test's temp dir goes anyway
        }
    }
}
