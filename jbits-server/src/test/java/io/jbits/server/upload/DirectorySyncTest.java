package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DirectorySyncTest {
    private static final Path DIR = Path.of("/uploads");

    @Test
    void everyCallReturnsAfterAForceThatStartedAfterItAndConcurrentCallsShareForces() throws Exception {
        AtomicLong started = new AtomicLong();
        AtomicLong ended = new AtomicLong();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        DirectorySync sync = new DirectorySync(d -> {
            if (running.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            started.incrementAndGet();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ended.incrementAndGet();
            running.decrementAndGet();
        });
        int threads = 16;
        int callsEach = 40;
        AtomicInteger violations = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < callsEach; i++) {
                        long before = started.get();
                        sync.sync(DIR);
                        if (ended.get() < before + 1) {
                            violations.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        assertEquals(0, violations.get(), "a call returned before a force that began after it had ended");
        assertEquals(0, overlaps.get(), "one force of a directory at a time");
        assertTrue(started.get() < threads * callsEach, "forces shared: " + started.get());
        assertEquals(0, sync.directoriesInUse());
    }

    @Test
    void aFailedForceFailsItsCallerAndTheNextCallForcesAgain() {
        AtomicInteger calls = new AtomicInteger();
        DirectorySync sync = new DirectorySync(d -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("disk gone");
            }
        });
        assertThrows(IllegalStateException.class, () -> sync.sync(DIR));
        sync.sync(DIR);
        assertEquals(2, calls.get());
        assertEquals(0, sync.directoriesInUse());
    }

    @Test
    void eachDirectoryIsForcedOnItsOwn() {
        List<Path> forced = new ArrayList<>();
        DirectorySync sync = new DirectorySync(forced::add);
        sync.sync(DIR);
        sync.sync(Path.of("/sessions"));
        assertEquals(List.of(DIR, Path.of("/sessions")), forced);
    }
}
