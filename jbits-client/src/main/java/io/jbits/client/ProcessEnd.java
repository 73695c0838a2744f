package io.jbits.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Whether another process has ended, seen promptly: what {@code jbits service stop} waits for after asking the
 * service to stop.
 *
 * <p>Not {@code ProcessHandle.onExit()}: for a process that is not this one's child (the service outlives the
 * command that started it) the JDK looks after 300 ms, then ever less often, and counts a process that has exited
 * but which its parent has not reaped yet as alive. Under an init that reaps slowly, a stop took 2.3 s that way
 * instead of 0.4.
 */
public final class ProcessEnd {
    private static final long LOOK_MILLIS = 10;

    private ProcessEnd() {
    }

    /** Waits until the process has ended, looking every 10 ms; false when it still runs after {@code timeout}. */
    public static boolean await(ProcessHandle process, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended(process)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(LOOK_MILLIS);
        }
        return true;
    }

    /**
     * Whether the process has ended: gone, or on Linux a zombie (state Z or X in {@code /proc/PID/stat}), which has
     * already closed its files and released its locks.
     */
    public static boolean ended(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"),
                    StandardCharsets.US_ASCII);
            int name = stat.lastIndexOf(')'); // the command's name, in parentheses, may hold spaces and ')'
            if (name > 0 && name + 2 < stat.length()) {
                char state = stat.charAt(name + 2);
                return state == 'Z' || state == 'X';
            }
        } catch (NoSuchFileException e) {
            return Files.isDirectory(Path.of("/proc/self")) || !process.isAlive(); // gone, where /proc exists
        } catch (IOException e) {
            // no /proc here (macOS) or not readable: the JDK's answer below
        }
        return !process.isAlive();
    }
}
