package io.jbits.client;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When {@code jbits service stop} counts the service as gone: a real process, running, exited, or a zombie. */
class ProcessEndTest {

    @Test
    void aRunningProcessHasNotEndedAndAKilledOneHas() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            assertFalse(ProcessEnd.ended(sleeper.toHandle()), "a sleeping process runs");
            assertFalse(ProcessEnd.await(sleeper.toHandle(), Duration.ofMillis(50)), "and runs on");
        } finally {
            sleeper.destroyForcibly();
        }
        assertTrue(sleeper.waitFor(10, TimeUnit.SECONDS));
        assertTrue(ProcessEnd.ended(sleeper.toHandle()), "a killed and reaped process has ended");
    }

    /** What the service is after it exits, until an init that reaps slowly gets to it. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aZombieThatNoOneHasReapedYetHasEnded() throws Exception {
        // The child exits after a second. By then its parent has become `sleep`, which never reaps it. (A child
        // that exits at once may be reaped by the shell itself before its exec, so it would leave no zombie.)
        Process parent = new ProcessBuilder("sh", "-c", "sleep 1 & echo $!; exec sleep 30").start();
        try {
            long pid;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                pid = Long.parseLong(out.readLine().strip());
            }
            ProcessHandle zombie = ProcessHandle.of(pid).orElseThrow();
            assertTrue(ProcessEnd.await(zombie, Duration.ofSeconds(10)), "pid " + pid + " exited and holds nothing");
            assertTrue(ProcessHandle.of(pid).isPresent(), "and is still a process until it is reaped");
        } finally {
            parent.destroyForcibly();
        }
    }
}
