package io.jbits.cli;

import io.jbits.api.JobInfo;
import io.jbits.api.TransferManager;
import io.jbits.client.ProcessEnd;
import io.jbits.client.ServiceClient;
import io.jbits.client.ServiceLauncher;
import io.jbits.client.UserSockets;
import io.jbits.rest.Json;
import io.jbits.rest.ServicePaths;
import io.jbits.rest.ServiceStatus;
import io.jbits.store.sqlite.SqliteJobStore;
import io.jbits.store.sqlite.StoreRecovery;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The real service of this user, found by {@link ServicePaths}, started on demand by {@link ServiceLauncher}. */
final class LocalServices implements Services {
    private static final long STOP_WAIT_SECONDS = 30;

    private final boolean mayStart;
    private ServicePaths paths;
    private ServiceClient client;
    /** The user whose service an administrator talks to ({@code --user}), or null for this user's own. */
    private String actingFor;

    /** The services of the CLI: a command that needs the service starts it. */
    LocalServices() {
        this(true);
    }

    /** Services that start the service only when {@code mayStart}; else only a running one is used. */
    LocalServices(boolean mayStart) {
        this.mayStart = mayStart;
    }

    /** The service of {@code paths} (the training's stand-in), never started. */
    LocalServices(ServicePaths paths) {
        this.mayStart = false;
        this.paths = paths;
    }

    @Override
    public void actFor(String user) {
        actingFor = user;
        paths = null;
    }

    @Override
    public TransferManager jobs() throws IOException {
        return connected(true);
    }

    @Override
    public TransferManager jobsWithoutFiles() throws IOException {
        return connected(true).withoutFiles();
    }

    @Override
    public void writeJobList(boolean includeFinal, OutputStream out) throws IOException {
        connected(true).copyJobList(includeFinal, false, out);
    }

    @Override
    public void forEachJob(boolean includeFinal, Consumer<JobInfo> action) throws IOException {
        connected(true).forEachJob(includeFinal, false, action);
    }

    @Override
    public Json.Policy policy() throws IOException {
        return connected(true).policy();
    }

    @Override
    public Json.Policy setPolicy(Json.PolicyChange change) throws IOException {
        return connected(true).setPolicy(change);
    }

    @Override
    public Json.Dashboard dashboard(Integer port) throws IOException {
        return connected(true).dashboard(port);
    }

    @Override
    public Optional<ServiceStatus> status() throws IOException {
        ServiceClient c = connected(false);
        return c == null ? Optional.empty() : Optional.of(c.status());
    }

    @Override
    public ServiceStatus start() throws IOException {
        return connected(true).status();
    }

    @Override
    public boolean stop() throws IOException {
        ServiceClient c = connected(false);
        if (c == null) {
            return false;
        }
        long pid = c.status().pid();
        c.stopService();
        c.close();
        client = null;
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        boolean ended;
        try {
            ended = process.isEmpty() || ProcessEnd.await(process.get(), Duration.ofSeconds(STOP_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the jbits service (pid " + pid + ") to exit", e);
        }
        if (!ended) {
            throw new IOException("the jbits service (pid " + pid + ") did not exit within " + STOP_WAIT_SECONDS
                    + " s; see " + paths().log());
        }
        return true;
    }

    @Override
    public StoreRecovery recover() throws IOException {
        ServicePaths p = paths();
        if (!Files.isDirectory(p.stateDir())) {
            return SqliteJobStore.recover(p.database());
        }
        // The lock the service holds for its whole life: no service can start while the file is being replaced.
        try (FileChannel channel = FileChannel.open(p.lockFile(), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new CliFailure(Main.EXIT_REFUSED, "a jbits service holds " + p.lockFile()
                        + " (it is starting or running): stop it first");
            }
            return SqliteJobStore.recover(p.database());
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private ServicePaths paths() throws IOException {
        if (paths == null && actingFor != null) {
            paths = UserSockets.system().of(actingFor).paths();
        }
        if (paths == null) {
            try {
                paths = ServicePaths.fromEnvironment();
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        return paths;
    }

    /** The client, connecting (and starting the service when asked) at first use; null when none answers. */
    private ServiceClient connected(boolean startIfNeeded) throws IOException {
        if (client != null) {
            return client;
        }
        ServicePaths p = paths();
        if (startIfNeeded && mayStart && actingFor == null && Files.exists(p.socket())) {
            // The first request itself finds out whether the service runs, and starts it when nothing listens.
            client = ServiceClient.startingOnDemand(p);
            return client;
        }
        try {
            client = ServiceClient.connect(p.socket());
        } catch (IOException notRunning) {
            if (!startIfNeeded) {
                return null;
            }
            if (actingFor != null) {
                throw new IOException("the jbits service of user " + actingFor + " is not running ("
                        + notRunning.getMessage() + "); an administrator only reaches running services", notRunning);
            }
            if (!mayStart) {
                throw notRunning;
            }
            client = ServiceLauncher.start(p);
        }
        return client;
    }

}
