package io.jbits.core;

import io.jbits.core.policy.BandwidthPolicy;
import io.jbits.core.policy.Timetable;
import io.jbits.spi.Bandwidth;
import io.jbits.spi.BackgroundGovernor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.BitsCodes;
import io.jbits.api.JbitsException;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.NewJob;
import io.jbits.api.Priority;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caps, the policy and the governor as the engine applies them to running jobs (rates are the benchmark's job). */
class EngineBandwidthTest {
    @TempDir
    Path dir;
    final ScriptedTransport transport = new ScriptedTransport();
    final ScriptedUploads uploads = new ScriptedUploads();
    final List<Set<URI>> remotesSeen = new CopyOnWriteArrayList<>();
    final AtomicLong backgroundBytes = new AtomicLong();
    final AtomicLong foregroundBytes = new AtomicLong();
    volatile BackgroundGovernor.Decision decision = BackgroundGovernor.Decision.UNLIMITED;
    Engine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    void start() throws IOException {
        BackgroundGovernor governor = (now, bg, fg, remotes) -> {
            backgroundBytes.addAndGet(bg);
            foregroundBytes.addAndGet(fg);
            remotesSeen.add(remotes);
            return decision;
        };
        engine = Engine.start(EngineConfig.builder(new MemoryStore(), "alice").transports(List.of(transport))
                .maxBackgroundJobs(2).backgroundGovernor(governor).uploadTransports(List.of(uploads)).build());
    }

    String job(String name, Priority p, String url) {
        String id = engine.create(NewJob.download(name).withPriority(p)).id();
        engine.addFile(id, url, dir.resolve(name).toString());
        return id;
    }

    JobInfo await(String id, JobState state) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> engine.job(id).state() == state);
        return engine.job(id);
    }

    @Test
    void aJobCapHoldsTheJobBackWhileItRunsAndLiftingItLetsTheJobFinish() throws Exception {
        start();
        byte[] data = EngineTest.bytes(8 << 20, 11);
        transport.put("mem://h/a", data, "\"a\"");
        String id = job("a", Priority.NORMAL, "mem://h/a");
        JobInfo capped = engine.setMaxRate(id, 64 * 1024);
        assertEquals(65536L, capped.options().get("rate.max"));
        engine.resume(id);
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> "job cap 64 KiB/s".equals(engine.job(id).heldBack()));
        JobInfo running = engine.job(id);
        assertEquals(JobState.TRANSFERRING, running.state());
        assertTrue(running.bytesTransferred() < data.length, "8 MiB at 64 KiB/s takes two minutes");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> remotesSeen.stream()
                .anyMatch(s -> s.contains(URI.create("mem://h/a"))));

        engine.setMaxRate(id, -1); // the running transfer speeds up without a restart
        JobInfo done = await(id, JobState.TRANSFERRED);
        assertNull(done.heldBack());
        assertFalse(done.options().containsKey("rate.max"));
        assertEquals(1, transport.requests.size(), "the cap changed without a new request");
        engine.complete(id);
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("a")));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> backgroundBytes.get() == data.length);
    }

    @Test
    void theGovernorAndTheBackgroundLimitHoldBackgroundJobsButNotForegroundOnes() throws Exception {
        start();
        byte[] data = EngineTest.bytes(4 << 20, 12);
        transport.put("mem://h/bg", data, "\"bg\"");
        transport.put("mem://h/fg", data, "\"fg\"");
        decision = new BackgroundGovernor.Decision(32 * 1024, "competing traffic");
        int before = remotesSeen.size();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> remotesSeen.size() > before + 1);
        String bg = job("bg", Priority.LOW, "mem://h/bg");
        String fg = job("fg", Priority.FOREGROUND, "mem://h/fg");
        engine.resume(bg);
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> "competing traffic".equals(engine.job(bg).heldBack()));
        engine.resume(fg);
        await(fg, JobState.TRANSFERRED);
        assertEquals(JobState.TRANSFERRING, engine.job(bg).state(), "4 MiB at 32 KiB/s takes two minutes");
        assertTrue(remotesSeen.stream().noneMatch(s -> s.contains(URI.create("mem://h/fg"))),
                "foreground remotes are not the governor's business");
        // the governor hears of the job's last bytes at the tick after them
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> foregroundBytes.get() == data.length);

        decision = BackgroundGovernor.Decision.UNLIMITED;
        engine.setBandwidthPolicy(BandwidthPolicy.NONE.withBackgroundLimit(Timetable.parse("16k")));
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> "background limit 16 KiB/s".equals(engine.job(bg).heldBack()));
        assertEquals(Bandwidth.parse("16k"), engine.bandwidthNow().backgroundLimit());
        engine.setBandwidthPolicy(BandwidthPolicy.NONE);
        await(bg, JobState.TRANSFERRED);
        engine.complete(bg);
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("bg")));
    }

    @Test
    void aCapBelowOneKibPerSecondIsRefusedAndChangesNothing() throws Exception {
        start();
        transport.put("mem://h/a", new byte[10], "\"a\"");
        String id = job("a", Priority.NORMAL, "mem://h/a");
        engine.setMaxRate(id, 4096);
        JbitsException e = assertThrows(JbitsException.class, () -> engine.setMaxRate(id, 100));
        assertEquals(BitsCodes.E_INVALIDARG, e.code());
        assertTrue(e.getMessage().contains("at least 1k"), e.getMessage());
        assertEquals(4096L, engine.job(id).options().get("rate.max"));
    }

    @Test
    void anUploadIsPacedByItsCapAndSeenByTheGovernor() throws Exception {
        start();
        byte[] data = EngineTest.bytes(4 << 20, 13);
        Path source = dir.resolve("up.bin");
        Files.write(source, data);
        String id = engine.create(new NewJob("up", io.jbits.api.JobType.UPLOAD, Priority.NORMAL, "")).id();
        engine.addFile(id, "up://h/up.bin", source.toString());
        engine.setMaxRate(id, 64 * 1024);
        engine.resume(id);
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> "job cap 64 KiB/s".equals(engine.job(id).heldBack()));
        assertTrue(engine.job(id).bytesTransferred() < data.length, "4 MiB at 64 KiB/s takes a minute");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> remotesSeen.stream()
                .anyMatch(s -> s.contains(URI.create("up://h/up.bin"))));
        engine.setMaxRate(id, -1);
        await(id, JobState.TRANSFERRED);
        assertArrayEquals(data, uploads.received.get("up://h/up.bin"));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> backgroundBytes.get() == data.length);
    }

    /**
     * An idle engine asks a governor that learns nothing while idle no question (and so wakes no thread ten times a
     * second); while a job moves bytes, it asks it about ten times a second. One that learns while idle (as the
     * scavenger does once it follows a link's counters) it asks all the time.
     */
    @Test
    void anIdleEngineAsksTheGovernorOnlyWhenTheGovernorLearnsWhileIdle() throws Exception {
        AtomicLong calls = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean learns = new java.util.concurrent.atomic.AtomicBoolean();
        BackgroundGovernor governor = new BackgroundGovernor() {
            @Override
            public Decision update(long nowNanos, long bg, long fg, Set<URI> remotes) {
                calls.incrementAndGet();
                backgroundBytes.addAndGet(bg);
                return Decision.UNLIMITED;
            }

            @Override
            public boolean learnsWhileIdle() {
                return learns.get();
            }
        };
        engine = Engine.start(EngineConfig.builder(new MemoryStore(), "alice").transports(List.of(transport))
                .backgroundGovernor(governor).build());
        Thread.sleep(1_000);
        assertTrue(calls.get() <= 1, "an idle second, asked " + calls.get() + " times");

        byte[] data = EngineTest.bytes(1 << 20, 5);
        transport.put("mem://h/one", data, "\"1\"");
        transport.put("mem://h/two", data, "\"2\"");
        String one = job("one", Priority.NORMAL, "mem://h/one");
        engine.resume(one);
        await(one, JobState.TRANSFERRED);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> backgroundBytes.get() == data.length);
        engine.complete(one);
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("one")));
        long afterRun = calls.get();
        Thread.sleep(1_000);
        assertTrue(calls.get() <= afterRun + 2, "an idle second after a run, asked " + (calls.get() - afterRun)
                + " times");

        learns.set(true); // from the next run on, the governor follows a link: asked while idle too
        String two = job("two", Priority.NORMAL, "mem://h/two");
        engine.resume(two);
        await(two, JobState.TRANSFERRED);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> backgroundBytes.get() == 2L * data.length);
        long idleFrom = calls.get();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= idleFrom + 5);
    }
}
