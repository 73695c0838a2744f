package io.jbits.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The scheduler's BITS rules seen from outside: foreground jobs run at once, a higher background priority preempts. */
class PriorityTest extends EndToEnd {
    /** Per connection on /slow/: 2 MiB/s. */
    private static final String RATE = "2m";
    /**
     * The first job's own cap until the second job has been seen moving: 16 MiB at 256 KiB/s keep it busy for a
     * minute however slowly a loaded machine runs the CLI calls in between; the cap is lifted afterwards.
     */
    private static final String HOLD = "256k";

    @Test
    void aForegroundJobRunsAtOnceWhileALowJobTransfers() throws Exception {
        Path lowSource = TestData.randomFile(data.resolve("low.bin"), 16 * MIB, 21);
        Path fgSource = TestData.randomFile(data.resolve("fg.bin"), 4 * MIB, 22);
        startNginx(RATE);
        String low = cli.createJob("low", "low");
        Path lowOut = add(low, nginx.url("/slow/low.bin"), "low.bin");
        cli.ok("set", low, "--max-rate", HOLD);
        cli.ok("resume", low);
        cli.awaitInfo(low, "transferring", STATE_TIMEOUT, info -> bytesTransferred(info) > 0);

        String fg = cli.createJob("foreground", "foreground");
        Path fgOut = add(fg, nginx.url("/slow/fg.bin"), "fg.bin");
        cli.ok("resume", fg);
        cli.awaitInfo(fg, "moving bytes", STATE_TIMEOUT, info -> bytesTransferred(info) > 0);
        JsonNode lowMeanwhile = cli.info(low);
        assertNotEquals("TRANSFERRED", state(lowMeanwhile),
                "the foreground job started before the low one finished: " + lowMeanwhile);
        cli.ok("set", low, "--max-rate", "off");

        cli.awaitState(fg, "TRANSFERRED", TRANSFER_TIMEOUT);
        cli.awaitState(low, "TRANSFERRED", TRANSFER_TIMEOUT);
        complete(fg);
        complete(low);
        assertSameBytes(fgSource, fgOut);
        assertSameBytes(lowSource, lowOut);
    }

    @Test
    void aHighJobPreemptsANormalOneWhichWaitsQueued() throws Exception {
        Path normalSource = TestData.randomFile(data.resolve("normal.bin"), 16 * MIB, 23);
        Path highSource = TestData.randomFile(data.resolve("high.bin"), 10 * MIB, 24);
        startNginx(RATE);
        String normal = cli.createJob("normal", "normal");
        Path normalOut = add(normal, nginx.url("/slow/normal.bin"), "normal.bin");
        cli.ok("set", normal, "--max-rate", HOLD);
        cli.ok("resume", normal);
        cli.awaitInfo(normal, "transferring", STATE_TIMEOUT, info -> bytesTransferred(info) > 0);

        String high = cli.createJob("high", "high");
        Path highOut = add(high, nginx.url("/slow/high.bin"), "high.bin");
        cli.ok("resume", high);
        // One snapshot of both jobs (list), so the two states are seen at the same moment.
        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            await("HIGH transferring while NORMAL is queued").atMost(STATE_TIMEOUT).pollInterval(
                    Duration.ofMillis(200)).until(() -> {
                        JsonNode jobs = cli.list();
                        last.set(jobs);
                        return "TRANSFERRING".equals(stateIn(jobs, high)) && "QUEUED".equals(stateIn(jobs, normal));
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("HIGH never ran alone while NORMAL waited; last list: " + last.get()
                    + cli.serviceLogTail(), e);
        }
        cli.ok("set", normal, "--max-rate", "off");

        cli.awaitState(high, "TRANSFERRED", TRANSFER_TIMEOUT);
        cli.awaitState(normal, "TRANSFERRED", TRANSFER_TIMEOUT);
        complete(high);
        complete(normal);
        assertSameBytes(highSource, highOut);
        assertSameBytes(normalSource, normalOut);
        assertEquals("high", cli.info(high).path("priority").asText());
    }

    private static String stateIn(JsonNode jobs, String id) {
        for (JsonNode job : jobs) {
            if (id.equals(job.path("id").asText())) {
                return state(job);
            }
        }
        throw new AssertionError("job " + id + " missing from list --json: " + jobs);
    }
}
