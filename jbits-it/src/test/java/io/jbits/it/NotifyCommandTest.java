package io.jbits.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notification command (BITS SetNotifyCmdLine) through {@code jbits set --notify-cmd}, run by the service:
 * on TRANSFERRED and on ERROR with the job id and event, again after a non-zero exit, again after a restart of the
 * service when a run was due, and never in the way of the transfer.
 */
class NotifyCommandTest extends EndToEnd {

    /**
     * A script that appends "ENV_ID ENV_EVENT ARGS" to {@code runs.log} and exits non-zero while {@code fail-left}
     * holds a positive count (decrementing it), or always while {@code fail-always} exists.
     */
    private Path script() throws Exception {
        Path dir = Files.createDirectories(data.resolve("notify"));
        Path script = dir.resolve("notify.sh");
        Files.writeString(script, """
                #!/bin/sh
                d=$(dirname "$0")
                echo "$JBITS_JOB_ID $JBITS_EVENT $*" >> "$d/runs.log"
                if [ -e "$d/fail-always" ]; then exit 3; fi
                if [ -s "$d/fail-left" ]; then
                  n=$(cat "$d/fail-left")
                  if [ "$n" -gt 0 ]; then echo $((n - 1)) > "$d/fail-left"; exit 7; fi
                fi
                exit 0
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private List<String> runs() throws Exception {
        Path log = data.resolve("notify/runs.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private String downloadJob(String name, String url) {
        String job = cli.createJob(name, "normal");
        add(job, url, name + ".bin");
        return job;
    }

    @Test
    void runsOnTransferredWithTheJobIdAndEventInEnvironmentAndArguments() throws Exception {
        TestData.randomFile(data.resolve("a.bin"), MIB, 1);
        startNginx("2m");
        Path script = script();
        String job = downloadJob("a", nginx.url("/a.bin"));
        String id = cli.info(job).path("id").asText();
        cli.ok("set", job, "--notify-cmd", script + " {job} '{event} arg'");
        assertEquals(script + " {job} '{event} arg'", cli.info(job).path("options").path("notify.cmd").asText());
        cli.ok("resume", job);
        await().atMost(STATE_TIMEOUT).until(() -> !runs().isEmpty());
        assertEquals(List.of(id + " transferred " + id + " transferred arg"), runs());
        assertEquals("TRANSFERRED", cli.info(job).path("state").asText());
    }

    @Test
    void runsOnErrorAndNotOnTransferredWhenAskedOnlyForErrors() throws Exception {
        TestData.randomFile(data.resolve("ok.bin"), 1000, 2);
        startNginx("2m");
        Path script = script();
        String missing = downloadJob("missing", nginx.url("/missing.bin"));
        String fine = downloadJob("fine", nginx.url("/ok.bin"));
        for (String job : List.of(missing, fine)) {
            cli.ok("set", job, "--notify-cmd", script.toString(), "--notify-on", "error");
            cli.ok("resume", job);
        }
        cli.awaitState(fine, "TRANSFERRED", STATE_TIMEOUT);
        cli.awaitState(missing, "ERROR", STATE_TIMEOUT);
        String missingId = cli.info(missing).path("id").asText();
        await().atMost(STATE_TIMEOUT).until(() -> !runs().isEmpty());
        Thread.sleep(1000); // a run for the transferred job, if there were one, would have come by now
        assertEquals(List.of(missingId + " error "), runs());
    }

    @Test
    void aFailingCommandRunsAgainLaterUntilItSucceedsAndTheJobIsTransferredAnyway() throws Exception {
        TestData.randomFile(data.resolve("r.bin"), MIB, 3);
        startNginx("2m");
        Path script = script();
        Files.writeString(data.resolve("notify/fail-left"), "2\n");
        String job = downloadJob("r", nginx.url("/r.bin"));
        cli.ok("set", job, "--min-retry-delay", "1s", "--notify-cmd", script.toString());
        cli.ok("resume", job);
        cli.awaitState(job, "TRANSFERRED", STATE_TIMEOUT);
        // 1 s, then 2 s later: three runs, the last one succeeds; no fourth.
        await().atMost(Duration.ofSeconds(30)).until(() -> runs().size() == 3);
        Thread.sleep(5000);
        assertEquals(3, runs().size(), runs().toString());
        assertTrue(cli.info(job).path("options").path("notify.done").asText().startsWith("transferred@"));
        complete(job);
        assertSameBytes(data.resolve("r.bin"), dest.resolve("r.bin"));
    }

    @Test
    void aRunThatWasDueRunsAfterTheServiceRestarts() throws Exception {
        TestData.randomFile(data.resolve("s.bin"), MIB, 4);
        startNginx("2m");
        Path script = script();
        Files.writeString(data.resolve("notify/fail-left"), "1\n");
        String job = downloadJob("s", nginx.url("/s.bin"));
        cli.ok("set", job, "--notify-cmd", script.toString()); // default retry delay: 10 minutes
        cli.ok("resume", job);
        cli.awaitState(job, "TRANSFERRED", STATE_TIMEOUT);
        await().atMost(STATE_TIMEOUT).until(() -> runs().size() == 1);
        cli.kill9Service();
        cli.ok("service", "start");
        await().atMost(STATE_TIMEOUT).until(() -> runs().size() == 2);
        await().atMost(STATE_TIMEOUT).until(() -> cli.info(job).path("options").has("notify.done"));
        // Succeeded once: a further restart owes it nothing.
        cli.ok("service", "stop");
        cli.ok("service", "start");
        Thread.sleep(2000);
        assertEquals(2, runs().size(), runs().toString());
    }

    @Test
    void aCommandThatAlwaysFailsNeverHoldsUpTheTransfer() throws Exception {
        TestData.randomFile(data.resolve("f.bin"), 2 * MIB, 5);
        startNginx("2m");
        Path script = script();
        Files.writeString(data.resolve("notify/fail-always"), "");
        String job = downloadJob("f", nginx.url("/f.bin"));
        cli.ok("set", job, "--min-retry-delay", "1s", "--notify-cmd", script.toString(), "--notify-on",
                "transferred,modified");
        cli.ok("resume", job);
        cli.awaitState(job, "TRANSFERRED", STATE_TIMEOUT);
        await().atMost(Duration.ofSeconds(30)).until(() -> runs().stream().filter(r -> r.contains(" transferred"))
                .count() >= 2);
        assertTrue(runs().stream().anyMatch(r -> r.contains(" modified")), runs().toString());
        complete(job);
        assertSameBytes(data.resolve("f.bin"), dest.resolve("f.bin"));
    }

    @Test
    void aRelativeProgramIsRefusedWithOneLine() {
        String job = cli.createJob("rel", "normal");
        var r = cli.run("set", job, "--notify-cmd", "notify.sh {job}");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("absolute path"), r.stderr());
    }
}
