package io.jbits.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jbits.api.JbitsException;
import io.jbits.api.JobInfo;
import io.jbits.client.ServiceClient;
import io.jbits.rest.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rate limits end to end, against nginx on loopback: job caps, the limit shared by several jobs, the background
 * schedule, live changes and the policy file across a restart.
 *
 * <p>Rates are measured over a window of several seconds after the first second, through the service's own socket
 * (so a CLI start-up does not blur the window), with a tolerance wide enough for a loaded 2-core machine: the
 * limiter must never let a job go clearly above its cap, and must not hold it far below. Exact figures are the
 * benchmark's ({@code bench/bandwidth-caps.sh}).
 */
class BandwidthTest extends EndToEnd {
    private static final long KIB = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Over a window: at most 10% above the cap (one bucket of burst is much less), at least 70% of it. */
    private static final double ABOVE = 1.10;
    private static final double BELOW = 0.70;

    private ServiceClient client() throws IOException {
        cli.ok("service", "start");
        return ServiceClient.connect(cli.home().resolve("jbits.sock"));
    }

    /** Bytes per second of the jobs together over {@code window}, measured from the service's progress counters. */
    private static double rate(ServiceClient client, Duration window, String... jobs) throws InterruptedException {
        long before = 0;
        long t0 = System.nanoTime();
        for (String j : jobs) {
            before += client.job(j).bytesTransferred();
        }
        Thread.sleep(window.toMillis());
        long after = 0;
        for (String j : jobs) {
            after += client.job(j).bytesTransferred();
        }
        long t1 = System.nanoTime();
        return (after - before) * 1e9 / (t1 - t0);
    }

    private static void assertNear(double capBytesPerSecond, double measured, String what) {
        assertTrue(measured <= capBytesPerSecond * ABOVE && measured >= capBytesPerSecond * BELOW,
                what + ": " + Math.round(measured / KIB) + " KiB/s measured for a cap of "
                        + Math.round(capBytesPerSecond / KIB) + " KiB/s");
    }

    /** Waits until the job has moved bytes for a second (the first second is not measured). */
    private void warmUp(String job) throws InterruptedException {
        cli.awaitInfo(job, "moving bytes", STATE_TIMEOUT, info -> bytesTransferred(info) > 0);
        Thread.sleep(1000);
    }

    @Test
    void aCappedJobGoesAtItsCapAndACapChangeAppliesToTheRunningTransfer() throws Exception {
        Path source = TestData.randomFile(data.resolve("capped.bin"), 40 * MIB, 41);
        startNginx("100m");
        String job = cli.createJob("capped", "normal");
        Path out = add(job, nginx.url("/capped.bin"), "capped.bin");
        cli.ok("set", job, "--max-rate", "2M");
        try (ServiceClient client = client()) {
            cli.ok("resume", job);
            warmUp(job);
            assertNear(2 * MIB, rate(client, Duration.ofSeconds(5), job), "2M cap");
            JsonNode info = cli.info(job);
            assertEquals("job cap 2 MiB/s", info.path("heldBack").asText(), info.toString());
            assertEquals(2 * MIB, info.path("options").path("rate.max").asLong());

            cli.ok("set", job, "--max-rate", "512k");
            Thread.sleep(1000);
            assertNear(512 * KIB, rate(client, Duration.ofSeconds(4), job), "512k cap, set while running");

            cli.ok("set", job, "--max-rate", "off");
            cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
        }
        assertEquals(1, nginx.requests("/capped.bin").size(), "the changes never restarted the transfer");
        complete(job);
        assertSameBytes(source, out);
    }

    @Test
    void severalJobsShareTheLimitOfAllJobs() throws Exception {
        Path a = TestData.randomFile(data.resolve("a.bin"), 48 * MIB, 42);
        Path b = TestData.randomFile(data.resolve("b.bin"), 48 * MIB, 43);
        startNginx("100m");
        cli.ok("policy", "set", "--limit", "3M");
        String ja = cli.createJob("a", "foreground");
        String jb = cli.createJob("b", "foreground");
        Path outA = add(ja, nginx.url("/a.bin"), "a.bin");
        Path outB = add(jb, nginx.url("/b.bin"), "b.bin");
        try (ServiceClient client = client()) {
            cli.ok("resume", ja);
            cli.ok("resume", jb);
            warmUp(ja);
            warmUp(jb);
            long a0 = client.job(ja).bytesTransferred();
            long b0 = client.job(jb).bytesTransferred();
            assertNear(3 * MIB, rate(client, Duration.ofSeconds(6), ja, jb), "two jobs under one 3M limit");
            long aMoved = client.job(ja).bytesTransferred() - a0;
            long bMoved = client.job(jb).bytesTransferred() - b0;
            double share = (double) aMoved / (aMoved + bMoved);
            assertTrue(share > 0.3 && share < 0.7, "the jobs share the limit: " + aMoved + " vs " + bMoved);
            JobInfo running = client.job(ja);
            assertEquals("TRANSFERRING", running.state().name());
            assertEquals("limit 3 MiB/s", running.heldBack());
            cli.ok("policy", "set", "--limit", "off");
            cli.awaitState(ja, "TRANSFERRED", TRANSFER_TIMEOUT);
            cli.awaitState(jb, "TRANSFERRED", TRANSFER_TIMEOUT);
        }
        complete(ja);
        complete(jb);
        assertSameBytes(a, outA);
        assertSameBytes(b, outB);
    }

    @Test
    void theBackgroundScheduleHoldsBackgroundJobsButNotForegroundOnes() throws Exception {
        Path bg = TestData.randomFile(data.resolve("bg.bin"), 32 * MIB, 44);
        Path fg = TestData.randomFile(data.resolve("fg.bin"), 16 * MIB, 45);
        startNginx("100m");
        LocalTime now = LocalTime.now();
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
        String window = now.minusHours(1).format(hhmm) + "-" + now.plusHours(1).format(hhmm);
        cli.ok("policy", "set", "--window", window, "--window-limit", "1M", "--outside-limit", "off");
        String jbg = cli.createJob("bg", "low");
        String jfg = cli.createJob("fg", "foreground");
        Path outBg = add(jbg, nginx.url("/bg.bin"), "bg.bin");
        Path outFg = add(jfg, nginx.url("/fg.bin"), "fg.bin");
        try (ServiceClient client = client()) {
            cli.ok("resume", jbg);
            warmUp(jbg);
            assertNear(MIB, rate(client, Duration.ofSeconds(5), jbg), "1M background limit in its window");
            String held = cli.info(jbg).path("heldBack").asText();
            assertTrue(held.startsWith("background limit 1 MiB/s (schedule " + window.substring(0, 5)), held);

            cli.ok("resume", jfg); // a foreground job ignores the background limit
            cli.awaitState(jfg, "TRANSFERRED", TRANSFER_TIMEOUT);
            assertEquals("TRANSFERRING", client.job(jbg).state().name(), "32 MiB at 1 MiB/s is still moving");

            JsonNode policy = JSON.readTree(cli.ok("policy", "show", "--json"));
            assertEquals("1M", policy.path("backgroundLimitNow").asText(), policy.toString());
            cli.ok("policy", "set", "--background-limit", "off");
            cli.awaitState(jbg, "TRANSFERRED", TRANSFER_TIMEOUT);
        }
        complete(jbg);
        complete(jfg);
        assertSameBytes(bg, outBg);
        assertSameBytes(fg, outFg);
    }

    @Test
    void thePolicySurvivesARestartAndBadInputChangesNothing() throws Exception {
        cli.ok("policy", "set", "--limit", "64M", "--schedule", "Mon-Fri 08:00,512k 18:00,off");
        String job = cli.createJob("j", "normal");
        cli.ok("set", job, "--max-rate", "1.5M");

        Os.Result badRate = cli.run("policy", "set", "--limit", "fast");
        assertEquals(2, badRate.exitCode(), badRate.toString());
        assertTrue(badRate.stderr().contains("--limit: bad RATE 'fast'"), badRate.stderr());
        Os.Result badTable = cli.run("policy", "set", "--schedule", "Mon-Fri 08:00,512k 18:75,off");
        assertEquals(2, badTable.exitCode(), badTable.toString());
        assertTrue(badTable.stderr().contains("'18:75' is not a time of day"), badTable.stderr());
        Os.Result badCap = cli.run("set", job, "--max-rate", "100");
        assertEquals(2, badCap.exitCode(), badCap.toString());
        assertTrue(badCap.stderr().contains("below the smallest limit, 1k"), badCap.stderr());
        try (ServiceClient client = client()) {
            JbitsException e = assertThrows(JbitsException.class,
                    () -> client.setPolicy(new Json.PolicyChange("1M", "Mon-Fry 08:00,1M")));
            assertTrue(e.getMessage().contains("'Fry' is neither a day"), e.getMessage());
            assertThrows(JbitsException.class, () -> client.setMaxRate(job, 10));
        }

        cli.ok("service", "stop");
        JsonNode policy = JSON.readTree(cli.ok("policy", "show", "--json"));
        assertEquals("64M", policy.path("limit").asText(), policy.toString());
        assertEquals("Mon-Fri 08:00,512k 18:00,off", policy.path("backgroundLimit").asText());
        assertTrue(policy.path("fileError").isNull(), policy.toString());
        assertEquals(List.of("limit = 64M", "background-limit = Mon-Fri 08:00,512k 18:00,off"),
                Files.readAllLines(cli.home().resolve("bandwidth.conf")).stream()
                        .filter(l -> !l.startsWith("#") && !l.isBlank()).toList());
        JobInfo after;
        try (ServiceClient client = client()) {
            after = client.job(job);
        }
        assertEquals(1572864L, ((Number) after.options().get("rate.max")).longValue());
    }
}
