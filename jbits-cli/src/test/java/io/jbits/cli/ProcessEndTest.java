package io.jbits.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
            assertFalse(LocalServices.ended(sleeper.toHandle()), "a sleeping process runs");
        } finally {
            sleeper.destroyForcibly();
        }
        assertTrue(sleeper.waitFor(10, TimeUnit.SECONDS));
        assertTrue(LocalServices.ended(sleeper.toHandle()), "a killed and reaped process has ended");
    }

    /** What the service is after it exits, until an init that reaps slowly gets to it. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aZombieThatNoOneHasReapedYetHasEnded() throws Exception {
        // `true` exits at once, and its parent, which became `sleep`, never reaps it.
        Process parent = new ProcessBuilder("sh", "-c", "true & echo $!; exec sleep 30").start();
        try {
            long pid;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                pid = Long.parseLong(out.readLine().strip());
            }
            ProcessHandle zombie = ProcessHandle.of(pid).orElseThrow();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!LocalServices.ended(zombie) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(LocalServices.ended(zombie), "pid " + pid + " exited and holds nothing");
            assertTrue(ProcessHandle.of(pid).isPresent(), "and is still a process until it is reaped");
        } finally {
            parent.destroyForcibly();
        }
    }
}
