package io.jbits.daemon;

import io.jbits.core.Engine;
import io.jbits.core.BackgroundGovernor;
import io.jbits.core.EngineConfig;
import io.jbits.core.LedbatGovernor;
import io.jbits.core.Ticker;
import io.jbits.rest.JbitsVersion;
import io.jbits.rest.Json;
import io.jbits.rest.ServicePaths;
import io.jbits.store.sqlite.DamagedStoreException;
import io.jbits.store.sqlite.SqliteJobStore;
import io.jbits.transport.http.HttpTransport;
import io.jbits.transport.http.HttpTransportConfig;
import io.jbits.transport.http.upload.BitsUploadClient;
import io.jbits.transport.smb.SmbTransport;
import io.jbits.transport.smb.SmbTransportConfig;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of the service: lock the state directory, open the store, start the engine, serve the API, and on stop
 * close everything in reverse order.
 *
 * <p>The lock comes first: only its holder may remove a stale socket file or touch the database, so two services
 * started at once on the same state directory cannot both run (the second exits 0).
 */
final class Daemon {
    private static final System.Logger LOG = System.getLogger(Daemon.class.getName());

    private final ServicePaths paths;
    private final String user = System.getProperty("user.name");
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** What to close at shutdown, the last opened first. */
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    private Daemon(ServicePaths paths) {
        this.paths = paths;
    }

    /** Runs the service until it is asked to stop; returns the process's exit status. */
    static int run(ServicePaths paths) {
        return new Daemon(paths).run();
    }

    private int run() {
        try {
            paths.createDirectories();
            FileChannel lockChannel = FileChannel.open(paths.lockFile(), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = lockChannel.tryLock();
            if (lock == null) {
                lockChannel.close();
                LOG.log(Level.INFO, "another jbits service holds {0}; this one exits", paths.lockFile());
                return 0;
            }
            register(lockChannel);
            Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "jbits-shutdown"));
            start();
        } catch (DamagedStoreException e) {
            LOG.log(Level.ERROR, "jbits service cannot start: {0}; ''jbits service recover'' moves it aside (keeping "
                    + "it) and starts a new one with every job it can still read", e.getMessage());
            shutdown();
            return 1;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "jbits service cannot start: " + e.getMessage(), e);
            shutdown();
            return 1;
        }
        awaitStopRequest();
        shutdown();
        return 0;
    }

    /**
     * {@code JBITS_CA_FILE}: PEM certificates every job of the service trusts besides the system's trust store; an
     * absolute path to a readable file, else the service refuses to start.
     */
    static Path serviceCaFile(java.util.Map<String, String> env) {
        String value = env.get("JBITS_CA_FILE");
        if (value == null || value.isBlank()) {
            return null;
        }
        Path file = Path.of(value.strip());
        if (!file.isAbsolute() || !Files.isReadable(file)) {
            throw new IllegalArgumentException("JBITS_CA_FILE=" + value + " is not an absolute path to a readable"
                    + " file");
        }
        return file;
    }

    private void start() throws IOException {
        Files.deleteIfExists(paths.socket());
        // The transports (HTTP client pools, smbj) and the JSON mapper are made on a thread of their own while the
        // store opens: both are a tenth of a second on a cold JVM.
        HttpTransportConfig httpConfig = HttpTransportConfig.defaults().withCaFile(serviceCaFile(System.getenv()));
        CompletableFuture<Transports> transports = CompletableFuture.supplyAsync(() -> {
            Json.prepare(); // for the first answer, which a starting CLI waits for
            return Transports.create(httpConfig);
        }, runnable -> Thread.ofPlatform().name("jbits-start-transports").daemon().start(runnable));
        SqliteJobStore store;
        try {
            Path cache = ServicePaths.cacheDirectory();
            if (cache != null) {
                SqliteJobStore.keepNativeLibraryIn(cache);
            }
            store = SqliteJobStore.open(paths.database());
        } catch (IOException | RuntimeException e) {
            transports.thenAccept(Transports::closeAll);
            throw e;
        }
        register(store);
        Transports t = Transports.join(transports);
        register(t.http());
        register(t.uploads());
        register(t.smb());
        boolean sameBoot = BootId.sameBootAsLastRun(paths.stateDir().resolve("boot-id"));
        ServiceSettings settings = ServiceSettings.from(System.getenv());
        BackgroundGovernor governor = BackgroundGovernor.unlimited();
        if (ScavengingGovernor.enabledBy(System.getenv())) {
            governor = ScavengingGovernor.start(LedbatGovernor.Settings.defaults(), LinkCounters.system(),
                    Ticker.system());
            register(governor);
        } else {
            LOG.log(Level.INFO, "scavenging is off ({0}=off): background jobs go as fast as the limits allow",
                    ScavengingGovernor.SWITCH);
        }
        Engine engine = Engine.start(EngineConfig.defaults(store, List.of(t.http(), t.smb()), user)
                .withMaxBackgroundJobs(settings.maxBackgroundJobs())
                .withFilesInParallel(settings.filesInParallel())
                .withUploadTransports(List.of(t.uploads(), t.smb()))
                .withTrustUnsyncedBytes(sameBoot)
                .withBackgroundGovernor(governor));
        register(engine);
        register(new NotifyRunner(engine, user));
        PolicyFile policy = PolicyFile.start(paths.stateDir(), engine);
        register(policy);
        ApiServer api = ApiServer.start(new ApiConfig(engine, paths.socket(), user, paths.stateDir(),
                stopRequested::countDown, policy));
        register(api);
        writePidFile();
        register(() -> Files.deleteIfExists(paths.pidFile()));
        LOG.log(Level.INFO, "jbits service {0} (pid {1,number,#}, user {2}) listening on {3}, state in {4}",
                JbitsVersion.current(), ProcessHandle.current().pid(), user, paths.socket(), paths.stateDir());
    }

    /** The service's transports, made together. */
    private record Transports(HttpTransport http, BitsUploadClient uploads, SmbTransport smb) {
        static Transports create(HttpTransportConfig httpConfig) {
            HttpTransport http = HttpTransport.create(httpConfig);
            try {
                return new Transports(http, BitsUploadClient.create(httpConfig),
                        SmbTransport.create(SmbTransportConfig.defaults()));
            } catch (RuntimeException e) {
                closeQuietly(http);
                throw e;
            }
        }

        static Transports join(CompletableFuture<Transports> made) throws IOException {
            try {
                return made.join();
            } catch (CompletionException e) {
                switch (e.getCause()) {
                    case RuntimeException r -> throw r;
                    case Error err -> throw err;
                    default -> throw new IOException("cannot set up the transports: " + e.getCause(), e.getCause());
                }
            }
        }

        void closeAll() {
            Daemon.closeQuietly(smb);
            Daemon.closeQuietly(uploads);
            Daemon.closeQuietly(http);
        }
    }

    /** Keeps a resource for shutdown; closes it at once when shutdown has already happened (SIGTERM at start). */
    private synchronized void register(AutoCloseable resource) throws IOException {
        if (stopped.get()) {
            closeQuietly(resource);
            throw new IOException("stopped while starting");
        }
        resources.push(resource);
    }

    private void writePidFile() throws IOException {
        Path tmp = paths.pidFile().resolveSibling(paths.pidFile().getFileName() + ".tmp");
        Files.writeString(tmp, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, paths.pidFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void awaitStopRequest() {
        try {
            stopRequested.await();
            LOG.log(Level.INFO, "stop requested through the API");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes everything once (the API, then the engine, which checkpoints, then the transport and the store). */
    private synchronized void shutdown() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        boolean started = resources.size() > 1;
        while (!resources.isEmpty()) {
            closeQuietly(resources.pop());
        }
        if (started) {
            LOG.log(Level.INFO, "jbits service stopped");
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "while stopping, {0} failed to close: {1}", resource, e.toString());
        }
    }
}
