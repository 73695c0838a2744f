package io.jbits.daemon;

import io.jbits.core.Engine;
import io.jbits.spi.BackgroundGovernor;
import io.jbits.spi.Ticker;
import io.jbits.spi.TransportSettings;
import io.jbits.rest.JbitsVersion;
import io.jbits.rest.Json;
import io.jbits.rest.ServicePaths;
import io.jbits.store.sqlite.DamagedStoreException;
import io.jbits.store.sqlite.SqliteJobStore;
import io.jbits.wiring.EngineWiring;
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
import java.util.Optional;
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
        /* A socket systemd made and listens on stays: deleting it would cut off every later connection. */
        Optional<Path> activated = SocketActivation.inheritedSocket(System.getenv(), ProcessHandle.current().pid());
        Path socket = activated.orElse(paths.socket());
        if (activated.isEmpty()) {
            Files.deleteIfExists(socket);
        }
        // The JSON mapper is made while the store opens: a starting CLI waits for the first answer, which needs it.
        Thread.ofPlatform().name("jbits-start-json").daemon().start(Json::prepare);
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
        BackgroundGovernor scavenger = governor;
        Engine engine = EngineWiring.start(user, () -> {
            Path cache = ServicePaths.cacheDirectory();
            if (cache != null) {
                SqliteJobStore.keepNativeLibraryIn(cache);
            }
            return SqliteJobStore.open(paths.database());
        }, new TransportSettings(serviceCaFile(System.getenv())), engineConfig -> engineConfig
                .maxBackgroundJobs(settings.maxBackgroundJobs())
                .filesInParallel(settings.filesInParallel())
                .trustUnsyncedBytes(sameBoot)
                .backgroundGovernor(scavenger));
        register(engine);
        register(IdleMemory.start(engine));
        PolicyFile policy = PolicyFile.start(paths.stateDir(), engine);
        register(policy);
        ApiServer api = ApiServer.start(new ApiConfig(engine, socket, user, paths.stateDir(),
                stopRequested::countDown, policy, true), activated.isPresent());
        register(api);
        writePidFile();
        register(() -> Files.deleteIfExists(paths.pidFile()));
        LOG.log(Level.INFO, "jbits service {0} (pid {1,number,#}, user {2}) listening on {3}{4}, state in {5}",
                JbitsVersion.current(), ProcessHandle.current().pid(), user, socket,
                activated.isPresent() ? " (socket activation)" : "", paths.stateDir());
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
