package io.jbits.core.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes fully written files durable in batches, beside the transfers: a transfer hands its finished file over and
 * moves on to the next one; this thread flushes everything handed over since its last round with one
 * {@code syncfs} per file system (one fsync per file where that is not available, or where the round holds only
 * {@link #FSYNC_EACH_MAX_FILES} files), then reports each file durable. A file counts as transferred only then.
 *
 * <p>A round waits while files keep coming ({@link #QUIET_NANOS} without a new one ends the wait), for at most
 * {@link #MAX_DELAY_NANOS} after its first file or until it holds {@link #ROUND_BYTES}: every flush commits the file
 * system's journal, and on ext4 each file created during a commit waits for it. Flushing every 25 ms while 2,000
 * small files arrived made creating them ten times slower. A run that has handed over its last file and waits for
 * the round asks for it at once ({@link #hurry}).
 */
public final class Syncer {
    private static final System.Logger LOG = System.getLogger(Syncer.class.getName());

    /** A finished file and what to do once it is durable (or why it could not be made so). */
    record Item(FileModel file, Done done) {
    }

    /** Called once per item, from the syncer's thread. */
    interface Done {
        void durable(FileModel file, IOException failure);
    }

    private static final long MIN_INTERVAL_NANOS = 25_000_000L;
    /** A round starts once no file came for this long (and {@link #MIN_INTERVAL_NANOS} passed since the last). */
    static final long QUIET_NANOS = 5_000_000L;
    /** ... or once its first file waited this long, however fast files keep coming. */
    static final long MAX_DELAY_NANOS = 1_000_000_000L;
    /** ... or once its files hold this many bytes, so one round never has more than that to write out. */
    static final long ROUND_BYTES = Checkpointer.STEP_BYTES;
    /**
     * Rounds of at most this many files fsync them one by one: {@code syncfs} also writes out every other dirty file
     * of the file system, other programs' among them, which can cost far more than one large download's own bytes.
     */
    static final int FSYNC_EACH_MAX_FILES = 2;
    private final List<Item> pending = new ArrayList<>();
    private long lastFlushNanos = System.nanoTime() - MIN_INTERVAL_NANOS;
    // Guarded by pending: when the round's first and latest files came, the bytes it holds, and whether a run waits.
    private long firstNanos;
    private long latestNanos;
    private long roundBytes;
    private boolean hurry;
    private final Thread thread;
    private boolean closed;

    private final long quietNanos;
    private final long maxDelayNanos;
    private volatile int rounds;
    /** Run on the syncer's thread after each round has reported its files ({@link #afterEachRound}). */
    private volatile Runnable afterRound = () -> { };

    public Syncer() {
        this(QUIET_NANOS, MAX_DELAY_NANOS);
    }

    /** With other gathering times (tests). */
    Syncer(long quietNanos, long maxDelayNanos) {
        this.quietNanos = quietNanos;
        this.maxDelayNanos = maxDelayNanos;
        // A virtual thread: it mostly waits, and an idle service keeps no platform thread for it.
        thread = Thread.ofVirtual().name("jbits-syncer").start(this::loop);
    }

    /**
     * What to run on the syncer's thread once a round has called {@link Done#durable} for each of its files: what the
     * round's files have in common is done once there.
     */
    void afterEachRound(Runnable action) {
        afterRound = java.util.Objects.requireNonNull(action);
    }

    /** How many rounds started so far (each before it reports its files). */
    int rounds() {
        return rounds;
    }

    void submit(FileModel file, Done done) {
        synchronized (pending) {
            if (closed) {
                done.durable(file, new IOException("the engine is stopping"));
                return;
            }
            long now = System.nanoTime();
            if (pending.isEmpty()) {
                firstNanos = now;
                roundBytes = 0;
            }
            latestNanos = now;
            roundBytes += file.written;
            pending.add(new Item(file, done));
            if (pending.size() == 1 || roundBytes >= ROUND_BYTES) {
                pending.notifyAll(); // the loop waits for a first file; the gathering round, for a full one
            }
        }
    }

    /** A run handed over its last file and waits until it is durable: the round starts now, without gathering. */
    void hurry() {
        synchronized (pending) {
            if (!pending.isEmpty()) {
                hurry = true;
                pending.notifyAll();
            }
        }
    }

    /** Flushes what is pending, then stops the thread. */
    public void close() {
        synchronized (pending) {
            closed = true;
            pending.notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (true) {
            List<Item> batch;
            synchronized (pending) {
                while (pending.isEmpty() && !closed) {
                    try {
                        pending.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (pending.isEmpty()) {
                    return;
                }
                if (!closed) {
                    gather();
                }
                batch = new ArrayList<>(pending);
                pending.clear();
                hurry = false;
            }
            rounds++;
            flush(batch);
            afterRound.run();
            lastFlushNanos = System.nanoTime();
        }
    }

    /**
     * Waits, with the lock released, while files keep coming and the round is neither full nor old, and at least
     * until {@link #MIN_INTERVAL_NANOS} passed since the last flush (back-to-back flushes slow the writes they
     * compete with more than a few milliseconds of delay costs a file). A run that waits ends the gathering.
     */
    private void gather() {
        while (!closed && !hurry && roundBytes < ROUND_BYTES) {
            long now = System.nanoTime();
            long start = later(lastFlushNanos + MIN_INTERVAL_NANOS, latestNanos + quietNanos);
            long latest = firstNanos + maxDelayNanos;
            long wait = (start - latest < 0 ? start : latest) - now;
            if (wait <= 0) {
                return;
            }
            try {
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(pending, wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static long later(long a, long b) {
        return a - b < 0 ? b : a;
    }

    private static void flush(List<Item> batch) {
        IOException failure = null;
        if (batch.size() > FSYNC_EACH_MAX_FILES && SyncFs.available()) {
            Set<Path> dirs = new LinkedHashSet<>();
            for (Item i : batch) {
                dirs.add(Path.of(i.file().tempPath()).toAbsolutePath().getParent());
            }
            try {
                for (Path dir : dirs) {
                    SyncFs.sync(dir);
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "syncfs failed, one fsync per file instead: " + e.getMessage());
                failure = forceEach(batch);
            }
        } else {
            failure = forceEach(batch);
        }
        for (Item i : batch) {
            i.done().durable(i.file(), failure);
        }
    }

    private static IOException forceEach(List<Item> batch) {
        for (Item i : batch) {
            try (FileChannel ch = FileChannel.open(Path.of(i.file().tempPath()), StandardOpenOption.WRITE)) {
                ch.force(false);
            } catch (IOException e) {
                return e;
            }
        }
        return null;
    }
}
