package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.nio.file.Path;
import java.util.List;
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
            assertEquals(22, statuses.size(), statuses.toString());
            // the one refusal trained: the service's error as a user sees it
            assertEquals(Main.EXIT_REFUSED, statuses.remove("info no-such-job"), statuses.toString());
            assertTrue(errors.contains("jbits: no such job or route in the training stand-in (0x80200001 "
                    + "BG_E_NOT_FOUND)"), errors);
            statuses.forEach((line, status) -> assertEquals(0, status, line + " failed:\n" + errors));
            String printed = out.toString(StandardCharsets.UTF_8);
            for (String id : jobs) {
                assertTrue(printed.contains("id:          " + id), "info " + id + " printed:\n" + printed);
            }
            assertTrue(printed.contains("\"state\" : \"TRANSFERRED\""), printed); // info --json of the first job
            assertTrue(printed.contains("pid:      0" + System.lineSeparator() + "owner:    "), printed); // status
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

    /**
     * Everything the training sets up goes into the cache, and every command then loads it at its start: the
     * training must not build Jackson's data-binding mapper (700 classes; one `set` body written by the mapper
     * made the cache a third larger and `jbits version` slower than with no cache), nor set up `BigDecimal`; and it
     * must not load a class of picocli's, whose old class files no cache can hold: a command class of the cache that
     * named a picocli exception in a method had picocli's loaded and verified at the start of every command (25-40
     * ms of each).
     */
    @Test
    void theTrainingBuildsNoDataBindingMapperAndNoBigNumbers() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+init=info", "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"),
                StartupTraining.class.getName()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the training ended");
        assertEquals(0, p.exitValue(), log.lines().filter(l -> !l.contains("[class,")).toList().toString());
        assertTrue(log.contains("'io/jbits/cli/TrainingService'"), "the training ran its stand-in");
        assertTrue(log.contains("'io/jbits/cli/TransferCommand'"), "the training ran transfer");
        for (String unwanted : List.of("com/fasterxml/jackson/databind/ObjectMapper", "java/math/BigDecimal",
                "java/util/Formatter", "java/time/format/DateTimeFormatter")) {
            assertFalse(log.contains("Initializing '" + unwanted + "'"), unwanted + " set up by the training");
        }
        assertEquals(List.of(), log.lines().filter(l -> l.contains("[class,load] picocli.")).toList(),
                "picocli's classes loaded by the training");
    }
}
