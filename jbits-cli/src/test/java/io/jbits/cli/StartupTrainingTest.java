package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.JobEvent;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.rest.Json;
import io.jbits.rest.JbitsVersion;
import io.jbits.rest.ServiceStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The AOT cache's training runs every quick verb to its end against its stand-in service, through the real client on
 * a real Unix socket, and the stand-in answers in the service's own layout: else the commands would run paths the
 * cache does not hold (the client's fallback to the data-binding mapper), or fail where a user's would not.
 */
class StartupTrainingTest {
    @Test
    void everyTrainedLineSucceedsAgainstTheStandIn() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (TrainingService stand = TrainingService.start();
             LocalServices services = new LocalServices(stand.paths())) {
            Cli cli = new Cli(services, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), stand.dir(), false, false);
            java.util.List<String> jobs = stand.jobIds();
            Map<String, Integer> statuses = StartupTraining.train(cli, stand);

            String errors = err.toString(StandardCharsets.UTF_8);
            assertEquals(18, statuses.size(), statuses.toString());
            statuses.forEach((line, status) -> assertEquals(0, status, line + " failed:\n" + errors));
            String printed = out.toString(StandardCharsets.UTF_8);
            for (String id : jobs) {
                assertTrue(printed.contains("id:          " + id), "info " + id + " printed:\n" + printed);
            }
            assertTrue(printed.contains("\"state\" : \"TRANSFERRED\""), printed); // info --json of the first job
        }
    }

    @Test
    void theStandInWritesEventsAndStatusAsTheServiceDoes() throws Exception {
        try (TrainingService stand = TrainingService.start()) {
            String id = stand.jobIds().getFirst();
            JobInfo job = stand.find(id);
            JobEvent e = new JobEvent(JobEvent.Kind.TRANSFERRED, id, 1, job.modified(), JobEvent.Change.STATE,
                    JobState.TRANSFERRED, job.bytesTotal(), job.bytesTransferred(), job.filesTotal(),
                    job.filesTransferred(), null, -1, 0);
            assertEquals(Json.mapper().writeValueAsString(Json.StreamEvent.of(7, e)), TrainingService.event(7, job));

            String status = stand.status();
            ServiceStatus read = Json.mapper().readValue(status, ServiceStatus.class);
            assertEquals(JbitsVersion.current(), read.version());
            assertEquals(Json.mapper().writeValueAsString(read), status);
        }
    }
}
