package io.jbits.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.JobChanges;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.NewFile;
import io.jbits.api.NewJob;
import io.jbits.api.Priority;
import io.jbits.client.ServiceClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash torture: the service runs a changing mix of jobs (large and small downloads from nginx, uploads to
 * {@code jbits serve}, foreground and background, several files per job) and is SIGKILLed at a random moment, started
 * again, killed again, {@code torture.kills} times (default 50); {@code jbits serve} is SIGKILLed too, at random.
 * Every job must still end TRANSFERRED, complete, and hold exactly the source's bytes, with no temporary left.
 *
 * <p>The run is seeded: the seed is printed at the start and {@code -Dtorture.seed=N} replays it (the moments are
 * the same; what the processes are doing at them depends on the machine's speed). The long run:
 * {@code ./mvnw -B -o verify -pl jbits-it -Dtest=CrashTortureTest -Dtorture.kills=1000}.
 */
class CrashTortureTest extends EndToEnd {
    static final int KILLS = Integer.getInteger("torture.kills", 50);
    static final long SEED = Long.getLong("torture.seed", System.nanoTime());
    /** A new wave of jobs every this many kills; finished jobs of earlier waves are completed and checked then. */
    private static final int WAVE_EVERY = 10;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    Path sources;
    @TempDir
    Path uploads;
    private JavaChild service;
    private JavaChild serve;
    private ServiceClient client;
    private final SplittableRandom random = new SplittableRandom(SEED);
    private final List<Expected> pending = new ArrayList<>();
    private int serviceKills;
    private int serveKills;
    private int jobsChecked;
    private int filesChecked;
    private long downloadBytesExpected;

    /** A job of the run and, per file, where its bytes must end and what they must be. */
    private record Expected(String jobId, List<Path> finals, List<Path> originals) {
    }

    @AfterEach
    void stopChildren() throws Exception {
        if (client != null) {
            client.close();
        }
        if (serve != null) {
            serve.close();
        }
        if (service != null) {
            service.close();
        }
    }

    @Test
    void everyJobSurvivesRandomKillsOfTheServiceAndTheUploadServer() throws Exception {
        System.out.printf("crash torture: seed %d (-Dtorture.seed=%d replays it), %d kills%n", SEED, SEED, KILLS);
        List<Path> bigs = List.of(
                TestData.randomFile(data.resolve("big-0.bin"), 20 * MIB + 17, 100),
                TestData.randomFile(data.resolve("big-1.bin"), 12 * MIB + 4_099, 101),
                TestData.randomFile(data.resolve("big-2.bin"), 28 * MIB + 1, 102));
        List<Path> smalls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            smalls.add(TestData.randomFile(data.resolve("small-" + i + ".bin"), 1 + new SplittableRandom(i)
                    .nextInt(900 * 1024), 200 + i));
        }
        Path bigUpload = TestData.randomFile(sources.resolve("up-big.bin"), 32 * MIB + 9, 300);
        Path smallUpload = TestData.randomFile(sources.resolve("up-small.bin"), 700 * 1024 + 3, 301);
        startNginx("4m");
        int port = Os.freeLoopbackPort();
        Path served = Files.createDirectories(sources.resolve("served"));
        serve = closeLater(JavaChild.serve(List.of(served.toString(), "--upload-dir", uploads.toString(), "--port",
                Integer.toString(port)), sources.resolve("serve.log")));
        startServe(port);
        service = JavaChild.service(cli.home(), Map.of("JBITS_MAX_BACKGROUND_JOBS", "2"));
        String uploadBase = "http://127.0.0.1:" + port + "/";
        long started = System.nanoTime();

        for (int round = 0; round < KILLS; round++) {
            service.start();
            if (round % WAVE_EVERY == 0) {
                connect();
                harvest();
                addWave(round / WAVE_EVERY, bigs, smalls, bigUpload, smallUpload, uploadBase);
                disconnect();
                Thread.sleep(random.nextInt(2_000));
            } else if (random.nextInt(10) == 0) {
                Thread.sleep(random.nextInt(1_000)); // at start-up: lock, database, recovery, socket
            } else {
                service.awaitReady(this::answers, READY_TIMEOUT);
                Thread.sleep(random.nextInt(2_000));
            }
            service.kill9();
            serviceKills++;
            if (random.nextInt(10) < 3) {
                serve.kill9();
                serveKills++;
                startServe(port);
            }
        }
        long loopSeconds = (System.nanoTime() - started) / 1_000_000_000;

        service.start();
        connect();
        awaitAllTransferred();
        harvest();
        assertEquals(List.of(), pending.stream().map(Expected::jobId).toList(), "jobs left unfinished");
        assertEquals(List.of(), leftovers(dest, "glob:**/*.jbits-*.part"), "temporaries left in the destinations");
        int orphanSessions = sessionFiles().size();
        assertNoSessionLeftAfterTimeout(port, served);

        // nginx logs a request when it ends; requests cut by a kill end when nginx notices the dead peer.
        Thread.sleep(1_000);
        long sent = nginx.log().stream().mapToLong(Nginx.Request::bodyBytesSent).sum();
        System.out.printf("crash torture: seed %d: %d service kills and %d upload-server kills survived in %d s; "
                        + "%d jobs, %d files checked by SHA-256, nothing lost; nginx sent %d bytes for %d expected "
                        + "(%d re-fetched); %d orphan upload sessions expired by the server%n",
                SEED, serviceKills, serveKills, loopSeconds, jobsChecked, filesChecked, sent, downloadBytesExpected,
                sent - downloadBytesExpected, orphanSessions);
        assertTrue(serviceKills >= KILLS, "kills done: " + serviceKills);
        assertTrue(sent >= downloadBytesExpected, "nginx sent at least every byte once: " + sent);
    }

    private void addWave(int wave, List<Path> bigs, List<Path> smalls, Path bigUpload, Path smallUpload,
                         String uploadBase) throws IOException {
        Path dir = Files.createDirectories(dest.resolve("w" + wave));
        Priority[] priorities = {Priority.FOREGROUND, Priority.NORMAL, Priority.LOW};
        for (int j = 0; j < priorities.length; j++) {
            List<Path> originals = new ArrayList<>();
            if (j < 2) {
                originals.add(bigs.get((wave + j) % bigs.size()));
            }
            for (int k = 0; k < 2 + j; k++) {
                originals.add(smalls.get(random.nextInt(smalls.size())));
            }
            List<NewFile> files = new ArrayList<>();
            List<Path> finals = new ArrayList<>();
            for (int k = 0; k < originals.size(); k++) {
                String name = originals.get(k).getFileName().toString();
                boolean big = name.startsWith("big");
                Path target = dir.resolve("j" + j + "-" + k + "-" + name);
                files.add(new NewFile(nginx.url((big ? "/slow/" : "/") + name), target.toString()));
                finals.add(target);
                downloadBytesExpected += Files.size(originals.get(k));
            }
            JobInfo job = client.create(new NewJob("w" + wave + "-download-" + j, JobType.DOWNLOAD, priorities[j], ""));
            client.addFiles(job.id(), files);
            queue(job.id(), finals, originals);
        }
        String[] names = {"w" + wave + "-big.bin", "w" + wave + "-small.bin"};
        Path[] uploadSources = {bigUpload, smallUpload};
        for (int u = 0; u < 2; u++) {
            JobInfo job = client.create(new NewJob("w" + wave + "-upload-" + u, JobType.UPLOAD,
                    u == 0 ? Priority.FOREGROUND : Priority.NORMAL, ""));
            client.addFile(job.id(), uploadBase + names[u], uploadSources[u].toString());
            queue(job.id(), List.of(uploads.resolve(names[u])), List.of(uploadSources[u]));
        }
    }

    private void queue(String jobId, List<Path> finals, List<Path> originals) {
        client.change(jobId, JobChanges.none().withMinRetryDelay(Duration.ofSeconds(1)));
        client.resume(jobId);
        pending.add(new Expected(jobId, finals, originals));
    }

    /** Completes every TRANSFERRED job, checks its bytes and deletes its files (the long run stays small on disk). */
    private void harvest() throws IOException {
        for (var it = pending.iterator(); it.hasNext(); ) {
            Expected e = it.next();
            JobInfo info = client.job(e.jobId());
            if (info.state() == JobState.ERROR) {
                throw new AssertionError("seed " + SEED + ": job went to ERROR: " + info + "\n"
                        + JavaChild.Logs.tail(cli.home().resolve("service.log"), 40));
            }
            if (info.state() != JobState.TRANSFERRED) {
                continue;
            }
            assertEquals(JobState.ACKNOWLEDGED, client.complete(e.jobId()).state(), "state after complete");
            for (int k = 0; k < e.finals().size(); k++) {
                assertEquals(TestData.sha256(e.originals().get(k)), TestData.sha256(e.finals().get(k)),
                        "seed " + SEED + ": bytes of " + e.finals().get(k) + " (job " + info.name() + ")");
                Files.delete(e.finals().get(k));
                filesChecked++;
            }
            jobsChecked++;
            it.remove();
        }
    }

    private void awaitAllTransferred() throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (true) {
            List<JobInfo> open = pending.stream().map(e -> client.job(e.jobId()))
                    .filter(j -> j.state() != JobState.TRANSFERRED).toList();
            for (JobInfo j : open) {
                if (j.state() == JobState.ERROR) {
                    throw new AssertionError("seed " + SEED + ": job went to ERROR: " + j);
                }
            }
            if (open.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("seed " + SEED + ": not TRANSFERRED within " + DRAIN_TIMEOUT + ": " + open
                        + "\n" + JavaChild.Logs.tail(cli.home().resolve("service.log"), 40));
            }
            Thread.sleep(250);
        }
    }

    /**
     * A session whose Create-Session answer was lost with a killed client is unknown to every client: the server
     * deletes it once idle for its session timeout. Restarted with a 2 s timeout, it must leave nothing behind.
     */
    private void assertNoSessionLeftAfterTimeout(int port, Path served) throws Exception {
        serve.close();
        serve = closeLater(JavaChild.serve(List.of(served.toString(), "--upload-dir", uploads.toString(), "--port",
                Integer.toString(port), "--session-timeout", "2s"), sources.resolve("serve.log")));
        startServe(port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!sessionFiles().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(List.of(), sessionFiles(), "upload session files left on the server after their timeout");
    }

    private List<Path> sessionFiles() throws IOException {
        Path dir = uploads.resolve(".jbits-sessions");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static List<Path> leftovers(Path root, String glob) throws IOException {
        var matcher = root.getFileSystem().getPathMatcher(glob);
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(matcher::matches).toList();
        }
    }

    private void startServe(int port) throws Exception {
        serve.start();
        serve.awaitReady(() -> Os.answers(port), READY_TIMEOUT);
    }

    private boolean answers() {
        try (ServiceClient c = ServiceClient.connect(cli.home().resolve("jbits.sock"))) {
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private void connect() throws InterruptedException {
        service.awaitReady(this::answers, READY_TIMEOUT);
        try {
            client = ServiceClient.connect(cli.home().resolve("jbits.sock"));
        } catch (IOException e) {
            throw new AssertionError("the service answered a moment ago", e);
        }
    }

    private void disconnect() {
        client.close();
        client = null;
    }
}
