package io.jbits.embedded;

import io.jbits.api.TransferManager;
import io.jbits.core.Engine;
import io.jbits.spi.JobStore;
import io.jbits.spi.TransportSettings;
import io.jbits.store.sqlite.SqliteJobStore;
import io.jbits.wiring.EngineWiring;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The jbits engine inside the application's own process: {@code try (TransferManager jobs =
 * EmbeddedJbits.open(dir))}. Jobs live in {@code dir/jobs.db} (SQLite) and survive the application's restarts;
 * downloads and uploads go over HTTP(S) and SMB, as in the service. One process at a time may use a state directory: a second open fails
 * while the first holds it. {@link TransferManager#close} checkpoints every transfer and releases the directory.
 *
 * <p>The embedded engine has no socket and no event stream (listeners are how an embedding application hears of
 * its jobs), but otherwise is the service's engine: the same transports, and the same notification commands.
 *
 * @since 0.1
 */
public final class EmbeddedJbits {
    private EmbeddedJbits() {
    }

    /**
     * Starts an engine on a state directory, created when missing; active jobs continue where they stopped.
     *
     * @throws IOException when the directory cannot be created, is in use by another process, or its database
     *     cannot be opened
     */
    public static TransferManager open(Path stateDir) throws IOException {
        return openEngine(stateDir);
    }

    /** {@link #open}, typed as the engine, for applications that need its extra calls. */
    public static Engine openEngine(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        Path lockFile = stateDir.resolve("engine.lock");
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("the jbits state directory " + stateDir + " is in use by another engine");
        }
        try {
            return EngineWiring.start(System.getProperty("user.name"),
                    () -> new LockedStore(SqliteJobStore.open(stateDir.resolve("jobs.db")), channel),
                    TransportSettings.defaults(), UnaryOperator.identity());
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel); // the store, which releases it too, may not have been made
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // the first failure is what the caller needs to see
        }
    }

    /** The store, and the state directory's lock released when the engine closes it. */
    private record LockedStore(JobStore store, FileChannel lock) implements JobStore {
        @Override
        public List<StoredJob> loadAll() throws IOException {
            return store.loadAll();
        }

        @Override
        public void loadEach(java.util.function.Consumer<StoredJob> each) throws IOException {
            store.loadEach(each);
        }

        @Override
        public void write(Batch batch) throws IOException {
            store.write(batch);
        }

        @Override
        public void close() throws IOException {
            try {
                store.close();
            } finally {
                lock.close();
            }
        }
    }
}
