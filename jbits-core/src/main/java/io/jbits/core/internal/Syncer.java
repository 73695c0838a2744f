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
    /**
     * Rounds of at most this many files fsync them one by one: {@code syncfs} also writes out every other dirty file
     * of the file system, other programs' among them, which can cost far more than one large download's own bytes.
     */
    static final int FSYNC_EACH_MAX_FILES = 2;
    private final List<Item> pending = new ArrayList<>();
    private long lastFlushNanos = System.nanoTime() - MIN_INTERVAL_NANOS;
    private final Thread thread;
    private boolean closed;

    public Syncer() {
        // A virtual thread: it mostly waits, and an idle service keeps no platform thread for it.
        thread = Thread.ofVirtual().name("jbits-syncer").start(this::loop);
    }

    void submit(FileModel file, Done done) {
        synchronized (pending) {
            if (closed) {
                done.durable(file, new IOException("the engine is stopping"));
                return;
            }
            pending.add(new Item(file, done));
            pending.notifyAll();
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
            }
            flush(batch);
            lastFlushNanos = System.nanoTime();
        }
    }

    /**
     * Waits, with the lock released, until {@link #MIN_INTERVAL_NANOS} have passed since the last flush: a flush
     * makes the whole file system durable, and back-to-back flushes slow the writes they compete with more than
     * a few milliseconds of delay costs a file.
     */
    private void gather() {
        long wait = MIN_INTERVAL_NANOS - (System.nanoTime() - lastFlushNanos);
        if (wait > 0) {
            try {
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(pending, wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
