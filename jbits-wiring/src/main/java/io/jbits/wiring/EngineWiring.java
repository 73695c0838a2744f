package io.jbits.wiring;

import io.jbits.core.Engine;
import io.jbits.core.EngineConfig;
import io.jbits.spi.JobStore;
import io.jbits.spi.Transport;
import io.jbits.spi.TransportFactory;
import io.jbits.spi.TransportSet;
import io.jbits.spi.TransportSettings;
import io.jbits.spi.UploadTransport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;

/**
 * Starts an engine the one way both the service and the embedded engine do: opens the store, makes the transports of
 * every {@link TransportFactory} on the class path (HTTP(S) with BITS uploads, SMB), and starts the engine with both.
 * The engine then owns them: its {@link Engine#close} checkpoints, closes the transports and the store. Each engine
 * also runs its jobs' notification commands ({@link NotifyRunner}), as BITS does for the job's owner.
 *
 * <p>The transports (HTTP client pools, smbj, their TLS set-up) are made on a thread of their own while the store
 * opens: each takes about a tenth of a second in a cold JVM, and a starting CLI waits for the service's first answer.
 */
public final class EngineWiring {
    private EngineWiring() {
    }

    /** Opens the engine's store; the caller decides which database and how it is locked. */
    @FunctionalInterface
    public interface StoreOpener {
        JobStore open() throws IOException;
    }

    /**
     * Opens the store, makes the transports, starts the engine and returns it running.
     *
     * @param owner the user who owns every job of the engine
     * @param store opens the store (on the calling thread, while the transports are made)
     * @param transports what every transport shares
     * @param tuning the engine's settings beyond the store, owner and transports (identity for the defaults)
     * @throws IOException when the store or a transport cannot be opened; whatever was opened is closed again
     */
    public static Engine start(String owner, StoreOpener store, TransportSettings transports,
                               UnaryOperator<EngineConfig.Builder> tuning) throws IOException {
        CompletableFuture<List<TransportSet>> made = CompletableFuture.supplyAsync(() -> openAll(transports),
                runnable -> Thread.ofPlatform().name("jbits-start-transports").daemon().start(runnable));
        JobStore opened;
        try {
            opened = store.open();
        } catch (IOException | RuntimeException e) {
            made.thenAccept(EngineWiring::closeAll);
            throw e;
        }
        List<TransportSet> sets;
        try {
            sets = join(made);
        } catch (IOException | RuntimeException e) {
            closeQuietly(opened);
            throw e;
        }
        List<Transport> downloads = new ArrayList<>();
        List<UploadTransport> uploads = new ArrayList<>();
        for (TransportSet set : sets) {
            downloads.addAll(set.downloads());
            uploads.addAll(set.uploads());
        }
        try {
            Engine engine = Engine.start(tuning.apply(EngineConfig.builder(opened, owner)
                    .transports(downloads)
                    .uploadTransports(uploads)).build());
            engine.closeWith(new NotifyRunner(engine, owner));
            return engine;
        } catch (IOException | RuntimeException e) {
            closeAll(sets);
            closeQuietly(opened);
            throw e;
        }
    }

    /** The transports of every factory on the class path, in the order the class path names them. */
    static List<TransportSet> openAll(TransportSettings settings) {
        List<TransportSet> sets = new ArrayList<>();
        try {
            for (TransportFactory factory : ServiceLoader.load(TransportFactory.class,
                    EngineWiring.class.getClassLoader())) {
                sets.add(factory.open(settings));
            }
        } catch (IOException e) {
            closeAll(sets);
            throw new CompletionException(e);
        } catch (RuntimeException e) {
            closeAll(sets);
            throw e;
        }
        if (sets.isEmpty()) {
            throw new IllegalStateException("no jbits transport on the class path (jbits-transport-http, "
                    + "jbits-transport-smb)");
        }
        return sets;
    }

    private static List<TransportSet> join(CompletableFuture<List<TransportSet>> made) throws IOException {
        try {
            return made.join();
        } catch (CompletionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IOException("cannot set up the transports: " + e.getCause(), e.getCause());
            }
        }
    }

    private static void closeAll(List<TransportSet> sets) {
        sets.forEach(TransportSet::closeAll);
    }

    private static void closeQuietly(JobStore store) {
        try {
            store.close();
        } catch (IOException e) {
            // the failure that stopped the start is what the caller needs to see
        }
    }
}
