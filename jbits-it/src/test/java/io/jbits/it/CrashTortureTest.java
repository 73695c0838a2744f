package io.jbits.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jbits.api.AuthScheme;
import io.jbits.api.AuthTarget;
import io.jbits.api.Credentials;
import io.jbits.api.JobChanges;
import io.jbits.api.JobEvent;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.NewFile;
import io.jbits.api.NewJob;
import io.jbits.api.Priority;
import io.jbits.api.ProxyUsage;
import io.jbits.client.ServiceClient;
import io.jbits.rest.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash torture: the service runs a changing mix of jobs and is SIGKILLed at a random moment, started again, killed
 * again, {@code torture.kills} times (default 50); {@code jbits serve} is SIGKILLed too, at random. The mix: large and
 * small downloads from nginx and uploads to {@code jbits serve} (foreground and background, several files per job),
 * downloads from and uploads to a real Samba share with NTLM credentials, downloads through a real squid with Basic
 * proxy credentials, per-job rate caps changed between kills, the bandwidth policy changed between kills, and
 * notification commands. Every job must still end TRANSFERRED, complete, and hold exactly the source's bytes, with no
 * temporary left locally or on the share; the credentials still work and their secrets appear nowhere; the last caps
 * and policy set are in force; and every notified job's command ran for TRANSFERRED at least once.
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
    private static final Duration NOTIFY_TIMEOUT = Duration.ofSeconds(60);
    private static final String PROXY_USER = "torturer";
    private static final String PROXY_SECRET = "sq-Pr0xy secret 7";
    /** Per-job caps the loop picks from, bytes/s: slow enough that kills land in the middle of the capped jobs. */
    private static final long[] CAPS = {512 * 1024, 1024 * 1024, 2 * 1024 * 1024};
    private static final String[] POLICY_LIMITS = {"48M", "64M", "96M", "128M", "off"};
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path sources;
    @TempDir
    Path uploads;
    private JavaChild service;
    private JavaChild serve;
    private Samba samba;
    private Squid squid;
    /** Between jbits and smbd, unpaced in effect: it counts the bytes read from and written to the share. */
    private ThrottledRelay smbRelay;
    private Path notifyScript;
    private ServiceClient client;
    private final SplittableRandom random = new SplittableRandom(SEED);
    private final List<Expected> pending = new ArrayList<>();
    /** The cap last set on each capped job not yet completed. */
    private final Map<String, Long> caps = new LinkedHashMap<>();
    /** Every job with a notify command, for the count of runs at the end. */
    private final List<String> notified = new ArrayList<>();
    private String policyLimit;
    private int serviceKills;
    private int serveKills;
    private int capChanges;
    private int policyChanges;
    private int jobsChecked;
    private int filesChecked;
    private int shareFilesChecked;
    private long downloadBytesExpected;
    private long smbReadExpected;
    private long smbWrittenExpected;

    /**
     * A job of the run and, per file, where its bytes must end and what they must be; {@code awaitsNotify} jobs are
     * completed only once their command has succeeded for TRANSFERRED (completing first would cancel the run).
     */
    private record Expected(String jobId, List<Path> finals, List<Path> originals, boolean awaitsNotify) {
    }

    /** The sources of the jobs a wave adds. */
    private record Sources(List<Path> bigs, List<Path> smalls, Path bigUpload, Path smallUpload, String uploadBase,
                           List<Path> shared, Path smbUpload, List<Path> proxied) {
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
        List<Path> proxied = List.of(TestData.randomFile(data.resolve("proxied-0.bin"), 2 * MIB + 333, 400),
                TestData.randomFile(data.resolve("proxied-1.bin"), 200 * 1024 + 1, 401));
        Path bigUpload = TestData.randomFile(sources.resolve("up-big.bin"), 32 * MIB + 9, 300);
        Path smallUpload = TestData.randomFile(sources.resolve("up-small.bin"), 700 * 1024 + 3, 301);
        Path smbUpload = TestData.randomFile(sources.resolve("up-smb.bin"), 2 * MIB + 511, 302);
        notifyScript = notifyScript();
        startNginx("4m");
        samba = closeLater(Samba.start());
        smbRelay = closeLater(ThrottledRelay.start(samba.port(), 256 * MIB));
        List<Path> shared = sharedFiles();
        squid = closeLater(Squid.start(PROXY_USER, PROXY_SECRET));
        int port = Os.freeLoopbackPort();
        Path served = Files.createDirectories(sources.resolve("served"));
        serve = closeLater(JavaChild.serve(List.of(served.toString(), "--upload-dir", uploads.toString(), "--port",
                Integer.toString(port)), sources.resolve("serve.log")));
        startServe(port);
        service = JavaChild.service(cli.home(), Map.of("JBITS_MAX_BACKGROUND_JOBS", "2"));
        Sources mix = new Sources(bigs, smalls, bigUpload, smallUpload, "http://127.0.0.1:" + port + "/", shared,
                smbUpload, proxied);
        long started = System.nanoTime();

        for (int round = 0; round < KILLS; round++) {
            service.start();
            if (round % WAVE_EVERY == 0) {
                connect();
                harvest();
                addWave(round / WAVE_EVERY, mix);
                changePolicy();
                disconnect();
                Thread.sleep(random.nextInt(2_000));
            } else if (random.nextInt(10) == 0) {
                Thread.sleep(random.nextInt(1_000)); // at start-up: lock, database, recovery, socket
            } else if (random.nextInt(2) == 0) {
                connect();
                changeCaps();
                if (random.nextInt(4) == 0) {
                    changePolicy();
                }
                disconnect();
                Thread.sleep(random.nextInt(1_000)); // often while the transfers adjust to the new rates
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
        assertSettingsSurvived();
        awaitAllTransferred();
        harvestNotified();
        assertEquals(List.of(), pending.stream().map(Expected::jobId).toList(), "jobs left unfinished");
        assertEquals(List.of(), leftovers(dest, "glob:**/*.jbits-*.part"), "temporaries left in the destinations");
        assertEquals(List.of(), leftovers(samba.data(), "glob:**/*.jbits-*.part"), "temporaries left on the share");
        assertNoSecretLeaked();
        assertTrue(squid.awaitLogged(r -> r.user().equals(PROXY_USER) && r.status() / 100 == 2),
                "squid served the proxied jobs to " + PROXY_USER + ": " + squid.log());
        int duplicates = assertNotifiedAtLeastOnce();
        int orphanSessions = sessionFiles().size();
        assertNoSessionLeftAfterTimeout(port, served);

        // nginx logs a request when it ends; requests cut by a kill end when nginx notices the dead peer.
        Thread.sleep(1_000);
        long sent = nginx.log().stream().mapToLong(Nginx.Request::bodyBytesSent).sum();
        System.out.printf("crash torture: seed %d: %d service kills and %d upload-server kills survived in %d s; "
                        + "%d jobs, %d files checked by SHA-256 (%d uploaded to the SMB share), nothing lost; "
                        + "nginx sent %d bytes for %d expected (%d re-fetched); SMB: %d bytes read for %d and %d "
                        + "written for %d, with the protocol's own; %d orphan upload sessions expired by the server; "
                        + "%d cap changes, %d policy changes; %d notified jobs, %d duplicate TRANSFERRED runs%n",
                SEED, serviceKills, serveKills, loopSeconds, jobsChecked, filesChecked, shareFilesChecked, sent,
                downloadBytesExpected, sent - downloadBytesExpected, smbRelay.bytesToClients(), smbReadExpected,
                smbRelay.bytesToServer(), smbWrittenExpected, orphanSessions, capChanges, policyChanges,
                notified.size(), duplicates);
        assertTrue(serviceKills >= KILLS, "kills done: " + serviceKills);
        assertTrue(sent >= downloadBytesExpected, "nginx sent at least every byte once: " + sent);
    }

    private void addWave(int wave, Sources mix) throws IOException {
        Path dir = Files.createDirectories(dest.resolve("w" + wave));
        Priority[] priorities = {Priority.FOREGROUND, Priority.NORMAL, Priority.LOW};
        for (int j = 0; j < priorities.length; j++) {
            List<Path> originals = new ArrayList<>();
            if (j < 2) {
                originals.add(mix.bigs().get((wave + j) % mix.bigs().size()));
            }
            for (int k = 0; k < 2 + j; k++) {
                originals.add(mix.smalls().get(random.nextInt(mix.smalls().size())));
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
            queue(job.id(), finals, originals, j == 2);
        }
        String[] names = {"w" + wave + "-big.bin", "w" + wave + "-small.bin"};
        Path[] uploadSources = {mix.bigUpload(), mix.smallUpload()};
        for (int u = 0; u < 2; u++) {
            JobInfo job = client.create(new NewJob("w" + wave + "-upload-" + u, JobType.UPLOAD,
                    u == 0 ? Priority.FOREGROUND : Priority.NORMAL, ""));
            client.addFile(job.id(), mix.uploadBase() + names[u], uploadSources[u].toString());
            queue(job.id(), List.of(uploads.resolve(names[u])), List.of(uploadSources[u]), false);
        }
        addSmbJobs(wave, dir, mix);
        addProxiedJob(wave, dir, mix);
    }

    /** A capped download of every shared file, and a capped upload to the share, both with NTLM credentials. */
    private void addSmbJobs(int wave, Path dir, Sources mix) throws IOException {
        JobInfo down = client.create(new NewJob("w" + wave + "-smb-download", JobType.DOWNLOAD, Priority.FOREGROUND,
                ""));
        setCredentials(down.id(), AuthTarget.SERVER, AuthScheme.NTLM, Samba.USER, Samba.PASSWORD);
        List<NewFile> files = new ArrayList<>();
        List<Path> finals = new ArrayList<>();
        for (Path source : mix.shared()) {
            Path target = dir.resolve("smb-" + source.getFileName());
            files.add(new NewFile(Samba.url(smbRelay.port(), "data", "src/" + source.getFileName()),
                    target.toString()));
            finals.add(target);
            smbReadExpected += Files.size(source);
        }
        client.addFiles(down.id(), files);
        cap(down.id());
        queue(down.id(), finals, mix.shared(), false);

        JobInfo up = client.create(new NewJob("w" + wave + "-smb-upload", JobType.UPLOAD, Priority.FOREGROUND, ""));
        setCredentials(up.id(), AuthTarget.SERVER, AuthScheme.NTLM, "JBITS\\" + Samba.USER, Samba.PASSWORD);
        String name = "w" + wave + "-smb.bin";
        client.addFile(up.id(), Samba.url(smbRelay.port(), "data", "up/" + name), mix.smbUpload().toString());
        smbWrittenExpected += Files.size(mix.smbUpload());
        cap(up.id());
        queue(up.id(), List.of(samba.data().resolve("up").resolve(name)), List.of(mix.smbUpload()), true);
    }

    /** A capped download from nginx through squid, which asks for Basic proxy credentials. */
    private void addProxiedJob(int wave, Path dir, Sources mix) throws IOException {
        JobInfo job = client.create(new NewJob("w" + wave + "-proxied", JobType.DOWNLOAD, Priority.HIGH, ""));
        client.setProxy(job.id(), ProxyUsage.OVERRIDE, List.of(squid.url()), List.of());
        setCredentials(job.id(), AuthTarget.PROXY, AuthScheme.BASIC, PROXY_USER, PROXY_SECRET);
        List<NewFile> files = new ArrayList<>();
        List<Path> finals = new ArrayList<>();
        for (Path source : mix.proxied()) {
            Path target = dir.resolve("proxied-" + source.getFileName());
            files.add(new NewFile(nginx.url("/" + source.getFileName()), target.toString()));
            finals.add(target);
            downloadBytesExpected += Files.size(source);
        }
        client.addFiles(job.id(), files);
        cap(job.id());
        queue(job.id(), finals, mix.proxied(), true);
    }

    private void setCredentials(String jobId, AuthTarget target, AuthScheme scheme, String user, String secret) {
        Credentials c = new Credentials(target, scheme, user, secret.toCharArray());
        client.setCredentials(jobId, c);
        c.wipe();
    }

    private void cap(String jobId) {
        long cap = CAPS[random.nextInt(CAPS.length)];
        client.setMaxRate(jobId, cap);
        caps.put(jobId, cap);
    }

    /** Gives every capped job not yet completed a new cap, or keeps the old one (a change to the same value). */
    private void changeCaps() {
        for (String jobId : List.copyOf(caps.keySet())) {
            cap(jobId);
            capChanges++;
        }
    }

    private void changePolicy() {
        String limit = POLICY_LIMITS[random.nextInt(POLICY_LIMITS.length)];
        Json.Policy now = client.setPolicy(new Json.PolicyChange(limit, null));
        assertEquals(limit, now.limit(), "policy as set");
        policyLimit = limit;
        policyChanges++;
    }

    private void queue(String jobId, List<Path> finals, List<Path> originals, boolean awaitsNotify) {
        client.change(jobId, JobChanges.none().withMinRetryDelay(Duration.ofSeconds(1)));
        if (awaitsNotify) {
            client.setNotifyCommand(jobId, notifyScript.toString(), Set.of(JobEvent.Kind.TRANSFERRED));
            notified.add(jobId);
        }
        client.resume(jobId);
        pending.add(new Expected(jobId, finals, originals, awaitsNotify));
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
            boolean notifyDue = e.awaitsNotify() && !info.options().containsKey("notify.done");
            if (info.state() != JobState.TRANSFERRED || notifyDue) {
                continue;
            }
            assertEquals(JobState.ACKNOWLEDGED, client.complete(e.jobId()).state(), "state after complete");
            for (int k = 0; k < e.finals().size(); k++) {
                assertEquals(TestData.sha256(e.originals().get(k)), TestData.sha256(e.finals().get(k)),
                        "seed " + SEED + ": bytes of " + e.finals().get(k) + " (job " + info.name() + ")");
                if (e.finals().get(k).startsWith(samba.data())) {
                    shareFilesChecked++;
                }
                Files.delete(e.finals().get(k));
                filesChecked++;
            }
            jobsChecked++;
            caps.remove(e.jobId());
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

    /** Harvests until the notified jobs too are done: their commands run after TRANSFERRED, and again on failure. */
    private void harvestNotified() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + NOTIFY_TIMEOUT.toNanos();
        harvest();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            harvest();
        }
    }

    /**
     * The last cap of each job and the last policy, each acknowledged before a kill, are in force after the restart,
     * as {@code jbits info --json} (for one job), {@code jbits list --all --json} (the same JSON for every job) and
     * {@code jbits policy show --json} show them.
     */
    private void assertSettingsSurvived() throws IOException {
        assertFalse(caps.isEmpty(), "capped jobs to check");
        var first = caps.entrySet().iterator().next();
        assertEquals(first.getValue().longValue(), cli.info(first.getKey()).path("options").path("rate.max").asLong(),
                "seed " + SEED + ": cap of job " + first.getKey() + " in info --json");
        Map<String, JsonNode> jobs = new LinkedHashMap<>();
        JSON.readTree(cli.ok("list", "--all", "--json")).forEach(j -> jobs.put(j.path("id").asText(), j));
        for (var c : caps.entrySet()) {
            JsonNode options = jobs.get(c.getKey()).path("options");
            assertEquals(c.getValue().longValue(), options.path("rate.max").asLong(), "seed " + SEED + ": cap of job "
                    + c.getKey() + ": " + options);
        }
        JsonNode policy = JSON.readTree(cli.ok("policy", "show", "--json"));
        assertEquals(policyLimit, policy.path("limit").asText(), "seed " + SEED + ": policy " + policy);
        assertTrue(policy.path("fileError").isNull(), policy.toString());
    }

    /** Neither the service's log nor any job's JSON holds a secret, while the JSON names the users. */
    private void assertNoSecretLeaked() throws IOException {
        String list = cli.ok("list", "--all", "--json");
        String log = Files.readString(cli.home().resolve("service.log"));
        for (String secret : List.of(Samba.PASSWORD, PROXY_SECRET)) {
            assertFalse(list.contains(secret), "a secret in `jbits list --all --json`");
            assertFalse(log.contains(secret), "a secret in service.log");
        }
        assertTrue(list.contains(PROXY_USER) && list.contains(Samba.USER), "the users are shown: " + list);
    }

    /** Each notified job's command ran for TRANSFERRED at least once; returns the runs beyond one per job. */
    private int assertNotifiedAtLeastOnce() throws IOException {
        Path log = notifyScript.resolveSibling("runs.log");
        Map<String, Long> runs = (Files.exists(log) ? Files.readAllLines(log) : List.<String>of()).stream()
                .filter(l -> l.endsWith(" transferred")).map(l -> l.substring(0, l.indexOf(' ')))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        List<String> never = notified.stream().filter(id -> !runs.containsKey(id)).toList();
        assertEquals(List.of(), never, "seed " + SEED + ": notified jobs whose command never ran for TRANSFERRED");
        return (int) runs.entrySet().stream().filter(r -> notified.contains(r.getKey()))
                .mapToLong(r -> r.getValue() - 1).sum();
    }

    /** Appends "JOB_ID EVENT" to runs.log beside itself. */
    private Path notifyScript() throws IOException {
        Path dir = Files.createDirectories(sources.resolve("notify"));
        Path script = dir.resolve("notify.sh");
        Files.writeString(script, """
                #!/bin/sh
                echo "$JBITS_JOB_ID $JBITS_EVENT" >> "$(dirname "$0")/runs.log"
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** Files on the share's {@code src/} for the SMB downloads, and an {@code up/} every user may write. */
    private List<Path> sharedFiles() throws IOException {
        Path src = Files.createDirectories(samba.data().resolve("src"));
        Path up = Files.createDirectories(samba.data().resolve("up"));
        Files.setPosixFilePermissions(up, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<Path> files = List.of(TestData.randomFile(src.resolve("smb-big.bin"), 3 * MIB + 3, 500),
                TestData.randomFile(src.resolve("smb-small-0.bin"), 300 * 1024 + 7, 501),
                TestData.randomFile(src.resolve("smb-small-1.bin"), 1, 502));
        for (Path f : files) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return files;
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
