package io.jbits.it;

import io.jbits.api.JobEvent;
import io.jbits.api.JobInfo;
import io.jbits.api.JobListener;
import io.jbits.api.JobState;
import io.jbits.api.TransferManager;
import io.jbits.client.Jbits;
import io.jbits.rest.ServicePaths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour of {@link ManagerContract} through the user's service (started on demand in a private
 * JBITS_HOME), and what only the service can show: events delivered across a {@code kill -9} of it.
 */
class ConnectedManagerTest extends ManagerContract {
    private Cli cli;

    @Override
    TransferManager open() throws Exception {
        if (cli == null) {
            cli = Cli.create();
        }
        return Jbits.connect(new ServicePaths(cli.home(), cli.home().resolve("jbits.sock")));
    }

    @Override
    void stopAll() {
        if (cli != null) {
            cli.close();
        }
    }

    @Test
    void aListenerGetsTransferredAcrossAKill9OfTheServiceWithNumbersStillGrowing() throws Exception {
        TestData.randomFile(data.resolve("k.bin"), 4L * MIB, 9);
        List<JobEvent> seen = new CopyOnWriteArrayList<>();
        JobInfo job = jobs.download("survivor").file(nginx.url("/slow/k.bin"), dest.resolve("k.bin"))
                .listener(JobListener.of(seen::add)).start();
        await().atMost(TIMEOUT).until(() -> seen.stream().anyMatch(JobEvent::isProgress));
        long killed = cli.kill9Service();
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(killed).isEmpty());
        int before = seen.size();
        TransferManager restarted = open(); // starts the service again; the listener's stream reconnects by itself
        try {
            await().atMost(TIMEOUT).until(() -> seen.stream().anyMatch(e -> e.kind() == JobEvent.Kind.TRANSFERRED));
        } finally {
            restarted.close();
        }
        assertTrue(seen.size() > before);
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i).seq() > seen.get(i - 1).seq(), "numbers grow across the restart: " + seen);
        }
        jobs.complete(job.id());
        assertEquals(TestData.sha256(data.resolve("k.bin")), TestData.sha256(dest.resolve("k.bin")));
    }

    @Test
    void transferredJustBeforeAKill9IsDeliveredAfterTheRestart() throws Exception {
        TestData.randomFile(data.resolve("t.bin"), MIB, 10);
        JobInfo job = jobs.download("due").file(nginx.url("/t.bin"), dest.resolve("t.bin")).start();
        jobs.whenTransferred(job.id()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        jobs.close();
        cli.kill9Service();
        jobs = open();
        List<JobEvent> seen = new CopyOnWriteArrayList<>();
        jobs.addListener(null, JobListener.of(seen::add));
        await().atMost(TIMEOUT).until(() -> seen.stream()
                .anyMatch(e -> e.jobId().equals(job.id()) && e.kind() == JobEvent.Kind.TRANSFERRED));
        assertEquals(JobState.TRANSFERRED, jobs.job(job.id()).state());
    }
}
