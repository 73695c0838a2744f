package io.jbits.cli;

import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a wait starts: from the job read after subscribing, or from the job as the command queued it. */
class JobWaiterTest {
    private final FakeServices services = new FakeServices();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Cli cli = new Cli(services,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), Path.of("/"), false, false);

    private JobInfo queued() throws Exception {
        services.state(JobState.QUEUED);
        return services.jobs().job("j");
    }

    @Test
    void aQueuedJobThatEndsNeedsNoReadOfTheJob() throws Exception {
        JobInfo queued = queued();
        services.state(JobState.TRANSFERRED); // its TRANSFERRED event is owed to every listener
        services.calls.clear();
        JobInfo ended = new JobWaiter(cli, services.jobs()).awaitQueued(queued);
        assertEquals(JobState.TRANSFERRED, ended.state());
        assertFalse(services.calls.stream().anyMatch(c -> c.startsWith("job ")), "calls: " + services.calls);
    }

    @Test
    void aQueuedJobSuspendedByAnotherProgramBeforeTheStreamBeganIsReadAfterASilentSecond() throws Exception {
        JobInfo queued = queued();
        services.state(JobState.SUSPENDED); // no event repeats a suspension
        services.calls.clear();
        JobInfo ended = new JobWaiter(cli, services.jobs()).awaitQueued(queued);
        assertEquals(JobState.SUSPENDED, ended.state());
        assertTrue(services.calls.contains("job " + queued.id()), "calls: " + services.calls);
        assertEquals(1, JobWaiter.outcome(cli, ended));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is SUSPENDED"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aJobWaitedForByIdIsReadOnceTheStreamBegan() throws Exception {
        services.state(JobState.TRANSFERRED);
        JobInfo ended = new JobWaiter(cli, services.jobs()).await("j");
        assertEquals(JobState.TRANSFERRED, ended.state());
        assertEquals("listen j", services.calls.get(services.calls.size() - 2), "calls: " + services.calls);
        assertEquals("job j", services.calls.getLast(), "calls: " + services.calls);
    }
}
