package io.jbits.daemon;

import io.jbits.core.Engine;
import java.lang.System.Logger.Level;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.Optional;

/**
 * Gives memory back once the service goes idle: 10 s after the last transfer has ended, full collections shrink the
 * heap to what stays live (the serial collector then uncommits the rest), and glibc's {@code malloc_trim} returns
 * the native memory freed meanwhile to the system.
 *
 * <p>It replaces the JVM's {@code -XX:TrimNativeHeapInterval}, whose platform thread trimmed every two seconds for
 * the life of the service; this one is a virtual thread that sleeps while nothing changes, and trims once per busy
 * spell. Where {@code malloc_trim} is missing (another C library), only the collection runs.
 */
final class IdleMemory implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(IdleMemory.class.getName());
    /** How often a busy service looks whether it went idle (it is awake anyway while jobs run). */
    private static final Duration BUSY_POLL = Duration.ofSeconds(1);
    /** How long after the start the first trim waits: the starting CLI's calls and the JIT's first work come first. */
    private static final Duration START_SETTLE = Duration.ofSeconds(20);
    /**
     * How long the service must have had no run before it gives memory back: the JIT compilers go on for seconds
     * after a busy spell, and free their working memory only then.
     */
    private static final Duration SETTLE = Duration.ofSeconds(10);
    /** A safety net only: every change to the jobs wakes the thread. */
    private static final Duration IDLE_WAIT = Duration.ofMinutes(10);

    private final Engine engine;
    private final Thread thread;
    private volatile boolean closed;

    private IdleMemory(Engine engine) {
        this.engine = engine;
        this.thread = Thread.ofVirtual().name("jbits-idle-memory").unstarted(this::loop);
    }

    /** Starts watching the engine for the end of each busy spell. */
    static IdleMemory start(Engine engine) {
        IdleMemory m = new IdleMemory(engine);
        m.thread.start();
        return m;
    }

    private void loop() {
        boolean busy = true; // the start itself: its garbage goes too, once the first clients are served
        Duration settle = Duration.ZERO; // the start has settled in START_SETTLE: no second wait for it
        try {
            Thread.sleep(START_SETTLE);
            while (!closed) {
                if (engine.hasRuns()) {
                    busy = true;
                    settle = SETTLE;
                    Thread.sleep(BUSY_POLL);
                    continue;
                }
                if (busy) {
                    /*
                     * Not at the very end of a transfer: the client that waited for it calls next (complete, say),
                     * and a full collection would stall its answer.
                     */
                    Thread.sleep(settle);
                    if (engine.hasRuns()) {
                        continue;
                    }
                    busy = false;
                    giveBack();
                }
                engine.awaitWhileIdle(IDLE_WAIT);
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /**
     * The most full collections one give-back runs: the serial collector damps each shrink of the old generation
     * (none after the first collection, then 10%, 40%, and the rest after the fourth), so a single one after a busy
     * spell left the heap as large as the spell had made it (36 of 13 MiB live, 20 MiB more RSS, after 1,500 small
     * uploads).
     */
    private static final int MAX_COLLECTIONS = 4;

    /** Full collections until the heap stops shrinking, then glibc's trim of the C heap. */
    static void giveBack() {
        Runtime runtime = Runtime.getRuntime();
        long committed = runtime.totalMemory();
        for (int i = 0; i < MAX_COLLECTIONS; i++) {
            System.gc();
            long now = runtime.totalMemory();
            if (i > 0 && now >= committed) {
                break; // the first one never shrinks; after that, one that did not means the heap fits what lives
            }
            committed = now;
        }
        Trim.MALLOC_TRIM.ifPresent(trim -> {
            try {
                int released = (int) trim.invokeExact(0L);
                LOG.log(Level.DEBUG, "malloc_trim released memory: {0}", released == 1);
            } catch (Throwable e) {
                LOG.log(Level.DEBUG, "malloc_trim failed: {0}", e.toString());
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }

    /** {@code int malloc_trim(size_t pad)} of the C library, looked up once, when first needed. */
    private static final class Trim {
        static final Optional<MethodHandle> MALLOC_TRIM = lookUp();

        private static Optional<MethodHandle> lookUp() {
            try {
                Linker linker = Linker.nativeLinker();
                return linker.defaultLookup().find("malloc_trim").map(address -> linker.downcallHandle(address,
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG)));
            } catch (RuntimeException | LinkageError e) {
                return Optional.empty(); // no native access granted, or no such function
            }
        }
    }
}
