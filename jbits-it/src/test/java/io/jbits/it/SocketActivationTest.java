package io.jbits.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service under socket activation, as systemd's {@code jbits.socket} starts it: {@code systemd-socket-activate}
 * listens on the CLI's socket path, starts the service at the first connection and hands it the listening socket
 * ({@code LISTEN_FDS=1}, descriptor 3). The real CLI then transfers a file through it, and {@code jbits service
 * stop} and SIGTERM both checkpoint and leave systemd's socket file in place.
 */
class SocketActivationTest extends EndToEnd {
    private static final Path ACTIVATOR = Path.of("/usr/bin/systemd-socket-activate");

    @Test
    void theServiceTakesTheSocketSystemdListensOnAndKeepsItsJobsAcrossStops() throws Exception {
        assertTrue(Files.isExecutable(ACTIVATOR), ACTIVATOR + " is missing: apt-get install systemd");
        Path source = TestData.randomFile(data.resolve("activated.bin"), 3 * MIB, 15);
        startNginx("1m");
        Path socket = cli.home().resolve("jbits.sock");

        Process first = activate(socket);
        await("the activator listens").atMost(Duration.ofSeconds(20)).until(() -> Files.exists(socket));
        assertTrue(cli.servicePid().isEmpty(), "no service runs before the first connection");

        Path target = dest.resolve("activated.bin");
        cli.ok("transfer", nginx.url("/activated.bin"), target.toString());
        assertSameBytes(source, target);
        assertEquals(first.pid(), cli.servicePid().orElseThrow(),
                "the service is the process systemd started, not one the CLI launched");
        assertTrue(cli.ok("service", "status").contains("pid:      " + first.pid()), "status names that pid");

        String kept = cli.createJob("kept-across-stops", "normal");
        cli.ok("add", kept, nginx.url("/slow/activated.bin"), dest.resolve("kept.bin").toString());
        assertEquals("jbits service stopped", cli.ok("service", "stop"));
        assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the service exits after 'jbits service stop'");
        assertEquals(0, first.exitValue(), "exit status after 'jbits service stop'");
        assertTrue(Files.exists(socket), "the socket file is systemd's: the service leaves it");
        assertTrue(log().contains("(socket activation)"), "the service logs how it got its socket: " + log());

        Files.delete(socket); // systemd-socket-activate binds anew; systemd itself would keep its socket
        Process second = activate(socket);
        await("the activator listens").atMost(Duration.ofSeconds(20)).until(() -> Files.exists(socket));
        JsonNode info = cli.info(kept);
        assertEquals("SUSPENDED", state(info), "the job kept across 'service stop'");
        assertEquals(second.pid(), cli.servicePid().orElseThrow(), "started again by the activator");
        cli.ok("resume", kept);
        long before = bytesTransferred(cli.awaitInfo(kept, "some bytes", TRANSFER_TIMEOUT,
                i -> bytesTransferred(i) >= MIB / 2));

        second.destroy(); // SIGTERM, as systemctl --user stop sends
        assertTrue(second.waitFor(30, TimeUnit.SECONDS), "the service exits on SIGTERM");
        assertTrue(Files.exists(socket), "SIGTERM leaves systemd's socket too");

        Files.delete(socket);
        Process third = activate(socket);
        await("the activator listens").atMost(Duration.ofSeconds(20)).until(() -> Files.exists(socket));
        JsonNode afterTerm = cli.info(kept);
        assertTrue(bytesTransferred(afterTerm) >= before, "the progress checkpointed at SIGTERM: " + before
                + " bytes before, now " + afterTerm);
        cli.awaitState(kept, "TRANSFERRED", TRANSFER_TIMEOUT);
        complete(kept);
        assertSameBytes(source, dest.resolve("kept.bin"));
        assertFalse(log().contains("Unable to use System.inheritedChannel"), "Jetty took the inherited socket");
        cli.ok("service", "stop");
        assertTrue(third.waitFor(30, TimeUnit.SECONDS), "the third service exits");
    }

    /** {@code systemd-socket-activate -l SOCKET java … io.jbits.daemon.Main}, logging to the service log. */
    private Process activate(Path socket) throws IOException {
        List<String> command = new ArrayList<>(List.of(ACTIVATOR.toString(), "-l", socket.toString(),
                "-E", "JBITS_HOME=" + cli.home()));
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "io.jbits.daemon.Main"));
        Process p = new ProcessBuilder(command).directory(cli.home().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(cli.home().resolve("service.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        closeLater(() -> {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        });
        return p;
    }

    private String log() throws IOException {
        return Files.readString(cli.home().resolve("service.log"));
    }
}
