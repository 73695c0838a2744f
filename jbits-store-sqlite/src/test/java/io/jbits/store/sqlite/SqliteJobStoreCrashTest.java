package io.jbits.store.sqlite;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.spi.JobStore.StoredJob;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a writing process with SIGKILL and checks that every write it saw return is on disk. */
class SqliteJobStoreCrashTest {

    private static final int BATCHES_BEFORE_KILL = 300;

    @TempDir
    Path temp;

    private Process child;

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyWriteThatReturnedSurvivesAKillNine() throws Exception {
        Path dbFile = temp.resolve("jobs.db");
        Path childErrors = temp.resolve("child.err");
        String java = ProcessHandle.current().info().command().orElseThrow();
        child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), dbFile.toString())
                .redirectError(childErrors.toFile())
                .start();
        List<Integer> reported = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> readReports(child, reported));

        await().atMost(Duration.ofSeconds(60))
                .until(() -> reported.size() >= BATCHES_BEFORE_KILL || !child.isAlive());
        assertTrue(child.isAlive(), () -> "the writer died by itself: " + readQuietly(childErrors));
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the writer survived SIGKILL");
        reader.join(Duration.ofSeconds(30));

        int lastReported = reported.getLast();
        try (SqliteJobStore store = SqliteJobStore.open(dbFile)) {
            Map<String, StoredJob> jobs = store.loadAll().stream()
                    .collect(Collectors.toMap(s -> s.job().id(), Function.identity()));
            for (int n : reported) {
                StoredJob job = jobs.get(CrashingWriter.jobId(n));
                assertTrue(job != null, "batch " + n + " was reported written but is missing");
                assertEquals(CrashingWriter.FILES_PER_JOB, job.files().size(), "files of batch " + n);
            }
            long checkpoint = jobs.get(CrashingWriter.PROGRESS_JOB).files().getFirst().bytesTransferred();
            assertTrue(checkpoint >= lastReported, "checkpoint " + checkpoint + " < last reported " + lastReported);
        }
    }

    private static void readReports(Process process, List<Integer> reported) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("written ")) {
                    reported.add(Integer.parseInt(line.substring("written ".length())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no stderr: " + e.getMessage() + ")";
        }
    }
}
