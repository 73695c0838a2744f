package io.jbits.core;

import io.jbits.core.policy.BandwidthPolicy;
import io.jbits.spi.BackgroundGovernor;
import io.jbits.spi.Bandwidth;
import io.jbits.spi.CredentialSettings;
import io.jbits.spi.HttpSettings;
import io.jbits.spi.JobOptions;
import io.jbits.spi.RateSettings;
import io.jbits.spi.NotifyCommand;
import io.jbits.api.AuthScheme;
import io.jbits.api.AuthTarget;
import io.jbits.api.BitsCodes;
import io.jbits.events.EventDelivery;
import io.jbits.api.JobEvent;
import io.jbits.api.JobListener;
import io.jbits.api.Subscription;
import io.jbits.api.Credentials;
import io.jbits.api.JbitsException;
import io.jbits.api.JobChanges;
import io.jbits.api.JobInfo;
import io.jbits.api.JobType;
import io.jbits.api.NewFile;
import io.jbits.api.NewJob;
import io.jbits.api.NewUpload;
import io.jbits.api.ProxyUsage;
import io.jbits.api.Redirects;
import io.jbits.api.TlsOptions;
import io.jbits.api.TransferManager;
import io.jbits.core.internal.Checkpointer;
import io.jbits.core.internal.JobQueue;
import io.jbits.core.internal.Pacing;
import io.jbits.core.internal.Persister;
import io.jbits.core.internal.Syncer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Objects;
import java.util.Optional;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The transfer engine: the owner's job queue, its scheduler and its transfers, in this process.
 *
 * <p>Embedded applications use it directly; the service wraps it behind its socket. {@link #start} loads the
 * stored jobs (active ones go back to the queue, each file resumes from its last checkpoint) and starts three
 * background activities: the scheduler, which starts and preempts runs by BITS's rules; the checkpointer, which
 * makes progress durable about once per {@link EngineConfig#checkpointInterval}; and the queue's transfers on
 * virtual threads. {@link #close} stops the transfers, checkpoints every file and closes the store.
 */
public final class Engine implements TransferManager {
    /** The longest retry delay or no-progress timeout: BITS's 32-bit count of seconds (about 136 years). */
    private static final Duration MAX_JOB_DURATION = Duration.ofSeconds(0xFFFF_FFFFL);

    private static final System.Logger LOG = System.getLogger(Engine.class.getName());
    private static final long PROGRESS_PASS_MILLIS = 100;
    /**
     * The longest an idle engine's loops sleep without a change (a safety net: every change wakes them). Far longer
     * than the 30 s after which the JDK's virtual-thread scheduler lets an unused carrier thread go, so an idle
     * service soon holds none.
     */
    private static final long IDLE_WAIT_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final EngineConfig config;
    private final JobQueue queue;
    private final Checkpointer checkpointer;
    private final Syncer syncer;
    private final EventDelivery delivery;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    /** What lives only as long as this engine (a notification runner, say): closed first, the last added first. */
    private final Deque<AutoCloseable> companions = new ConcurrentLinkedDeque<>();
    private volatile boolean closing;

    private Engine(EngineConfig config, JobQueue queue, Checkpointer checkpointer, Syncer syncer,
                   EventDelivery delivery) {
        this.delivery = delivery;
        this.config = config;
        this.syncer = syncer;
        this.queue = queue;
        this.checkpointer = checkpointer;
    }

    /** Loads the stored jobs, re-queues the ones that were active, and starts scheduling. */
    public static Engine start(EngineConfig config) throws IOException {
        Object lock = new Object();
        Persister persister = new Persister(config.store(), lock);
        Checkpointer checkpointer = new Checkpointer(persister);
        Syncer syncer = new Syncer();
        EventDelivery delivery = new EventDelivery("jbits-events");
        JobQueue queue = new JobQueue(config, lock, persister, checkpointer, syncer, delivery);
        queue.load(config.store());
        Engine engine = new Engine(config, queue, checkpointer, syncer, delivery);
        /*
         * The loops mostly wait (for a kick, a tick or a deadline): virtual threads, so an idle service holds no
         * platform thread (and no native stack) for them.
         */
        engine.threads.add(Thread.ofVirtual().name("jbits-progress").start(engine::progressLoop));
        engine.threads.add(Thread.ofVirtual().name("jbits-scheduler").start(engine::scheduleLoop));
        engine.threads.add(Thread.ofVirtual().name("jbits-checkpointer").start(engine::checkpointLoop));
        /*
         * Except a bandwidth loop that ticks while idle too: ten wake-ups a second on a virtual thread keep the
         * scheduler's carrier threads from ever idling out (both of them on two cores: each wake-up may rouse the
         * other as well). A platform thread of its own costs one thread where they cost two, and its ticks keep
         * time while the carriers are busy moving bytes.
         */
        Thread.Builder bandwidth = queue.pacing().ticksWhileIdle() ? Thread.ofPlatform().daemon()
                : Thread.ofVirtual();
        engine.threads.add(bandwidth.name("jbits-bandwidth").start(engine::bandwidthLoop));
        return engine;
    }

    private void scheduleLoop() {
        while (!closing) {
            long waitNanos;
            try {
                waitNanos = queue.schedule();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "scheduler pass failed", e);
                waitNanos = TimeUnit.SECONDS.toNanos(1);
            }
            // With nothing in play, only a change (which kicks) can give a pass work: no once-a-second wake-up.
            queue.awaitChange(queue.quiet() ? IDLE_WAIT_NANOS : Math.min(waitNanos, TimeUnit.SECONDS.toNanos(1)));
        }
    }

    /**
     * Waits before the next pass of a loop that serves runs: one interval while a job has a run; while none has,
     * until something changes (a run starts, a job changes) or {@link #IDLE_WAIT_NANOS} pass. Returns false once
     * the engine stops. Each loop makes one more pass after the last run ended, as it did every interval before.
     */
    private boolean next(long intervalNanos) throws InterruptedException {
        if (queue.awaitWhileIdle(IDLE_WAIT_NANOS)) {
            return stopped.getCount() > 0;
        }
        return !stopped.await(intervalNanos, TimeUnit.NANOSECONDS);
    }

    /** A round every interval while a job has a run, and sooner when a file asks for one ({@link Checkpointer#soon}). */
    private void checkpointLoop() {
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(10, config.checkpointInterval().toMillis()));
        try {
            while (true) {
                if (queue.awaitWhileIdle(IDLE_WAIT_NANOS)) {
                    if (stopped.getCount() == 0) {
                        return;
                    }
                } else {
                    checkpointer.awaitRound(intervalNanos);
                    if (stopped.getCount() == 0) {
                        return;
                    }
                }
                checkpointer.checkpoint();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Turns moved bytes into progress events every {@link #PROGRESS_PASS_MILLIS} ms: the finest progress a
     * listener can get, and cheap (one pass over the jobs under the lock, no I/O).
     */
    private void progressLoop() {
        try {
            while (next(TimeUnit.MILLISECONDS.toNanos(PROGRESS_PASS_MILLIS))) {
                try {
                    queue.progressPass();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "progress pass failed", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * About ten times a second while a job has a run: the scavenger's sample and decision, and the limits of the
     * schedule now; then one more tick, so the governor sees that the background transfers ended (the scavenger then
     * stops probing). While no job has a run, the loop sleeps until one starts, and the scheduler's carrier threads
     * of an idle service can go; a transfer that starts after the pause asks for the rates of the moment itself
     * ({@link Pacing#freshen}). Only a governor that learns from idle ticks ({@link Pacing#ticksWhileIdle}: the
     * service's scavenger does) keeps the loop ticking while idle, on a platform thread ({@link #start}).
     */
    private void bandwidthLoop() {
        long intervalNanos = Pacing.TICK_NANOS;
        Pacing pacing = queue.pacing();
        boolean ran = false; // whether a job had a run at the last tick: one more tick tells the governor they ended
        try {
            while (pacing.ticksWhileIdle() || ran ? !stopped.await(intervalNanos, TimeUnit.NANOSECONDS)
                    : next(intervalNanos)) {
                ran = queue.hasRuns();
                try {
                    queue.pacing().tick();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "bandwidth tick failed", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether some job has a run now (is connecting or moving bytes). */
    public boolean hasRuns() {
        return queue.hasRuns();
    }

    /**
     * While no job has a run, waits up to {@code max} for a change to the jobs (a run starting among them) and
     * returns true; returns false at once while a job has a run or the engine stops. For the service's own idle
     * work, which should wake no thread while nothing changes.
     */
    public boolean awaitWhileIdle(Duration max) {
        return queue.awaitWhileIdle(max.toNanos());
    }

    @Override
    public Subscription addListener(String jobId, Duration minProgressInterval, JobListener listener) {
        open();
        return queue.subscribe(jobId, minProgressInterval, listener);
    }

    @Override
    public JobInfo setNotifyCommand(String jobId, String commandLine, Set<JobEvent.Kind> on) {
        NotifyCommand command = commandLine == null ? null : NotifyCommand.parse(commandLine, on);
        return updateOptions(jobId, o -> command == null ? NotifyCommand.clear(o) : command.writeTo(o));
    }

    @Override
    public JobInfo create(NewJob job) {
        open();
        checkNewJob(job);
        return queue.create(job);
    }

    private void checkNewJob(NewJob job) {
        if (job.type() != JobType.DOWNLOAD && config.uploadTransports().isEmpty()) {
            throw new JbitsException(BitsCodes.E_NOTIMPL, "this engine has no upload transport for "
                    + job.type().label() + " jobs");
        }
        if (job.name().isBlank()) {
            throw JbitsException.invalidArgument("a job needs a display name");
        }
        checkLength("display name", job.name(), 256);
        checkLength("description", job.description(), 1024);
    }

    @Override
    public JobInfo startDownload(NewJob job, List<NewFile> files) {
        open();
        if (job.type() != JobType.DOWNLOAD) {
            throw JbitsException.invalidArgument("'" + job.name() + "' is not a download job: use startUploads");
        }
        checkNewJob(job);
        return queue.startDownload(job, files);
    }

    @Override
    public List<JobInfo> startUploads(List<NewUpload> uploads) {
        open();
        if (uploads.isEmpty()) {
            throw JbitsException.invalidArgument("no uploads to start");
        }
        for (NewUpload u : uploads) {
            NewJob job = u.job();
            if (job.type() == JobType.DOWNLOAD) {
                throw JbitsException.invalidArgument("a batch of uploads holds no download job ('" + job.name()
                        + "')");
            }
            checkNewJob(job);
        }
        return queue.startUploads(uploads);
    }

    @Override
    public JobInfo addFile(String jobId, String remoteUrl, String localPath) {
        open();
        return queue.addFile(jobId, remoteUrl, localPath);
    }

    @Override
    public JobInfo addFiles(String jobId, List<NewFile> files) {
        open();
        return queue.addFiles(jobId, files);
    }

    @Override
    public JobInfo job(String jobId) {
        return queue.info(jobId);
    }

    @Override
    public List<JobInfo> jobs(boolean includeFinal) {
        return queue.infos(includeFinal);
    }

    @Override
    public List<JobInfo> jobSummaries(boolean includeFinal) {
        return queue.infos(includeFinal, false);
    }

    @Override
    public int jobCount(boolean includeFinal) {
        return queue.count(includeFinal);
    }

    @Override
    public JobInfo resume(String jobId) {
        open();
        return queue.resume(jobId);
    }

    @Override
    public JobInfo suspend(String jobId) {
        open();
        return queue.suspend(jobId);
    }

    @Override
    public JobInfo cancel(String jobId) {
        open();
        return queue.cancel(jobId);
    }

    @Override
    public JobInfo complete(String jobId) {
        open();
        return queue.complete(jobId);
    }

    @Override
    public List<JobInfo> completeAll(List<String> jobIds) {
        open();
        if (jobIds.isEmpty()) {
            throw JbitsException.invalidArgument("no jobs to complete");
        }
        return queue.completeAll(jobIds);
    }

    @Override
    public JobInfo change(String jobId, JobChanges changes) {
        open();
        if (changes.name() != null) {
            if (changes.name().isBlank()) {
                throw JbitsException.invalidArgument("a job needs a display name");
            }
            checkLength("display name", changes.name(), 256);
        }
        if (changes.description() != null) {
            checkLength("description", changes.description(), 1024);
        }
        if (changes.minRetryDelay() != null && changes.minRetryDelay().compareTo(Duration.ofSeconds(1)) < 0) {
            throw JbitsException.invalidArgument("minimum retry delay must be at least 1 second, not "
                    + changes.minRetryDelay().toSeconds() + " s");
        }
        if (changes.noProgressTimeout() != null && changes.noProgressTimeout().isNegative()) {
            throw JbitsException.invalidArgument("no-progress timeout must not be negative: "
                    + changes.noProgressTimeout().toSeconds() + " s");
        }
        // BITS keeps both as 32-bit seconds; the bound also keeps the retry timer's nanosecond sums from overflowing
        for (Duration d : new Duration[] {changes.minRetryDelay(), changes.noProgressTimeout()}) {
            if (d != null && d.compareTo(MAX_JOB_DURATION) > 0) {
                throw JbitsException.invalidArgument("retry delays and timeouts must be at most "
                        + MAX_JOB_DURATION.toSeconds() + " s, not " + d.toSeconds() + " s");
            }
        }
        return queue.change(jobId, changes);
    }

    /**
     * Changes a job's {@link JobOptions} durably; each feature validates and writes the names under its own prefix.
     * Not part of {@link io.jbits.api.TransferManager}: the typed methods there call it.
     */
    public JobInfo updateOptions(String jobId, UnaryOperator<JobOptions> change) {
        open();
        return queue.updateOptions(jobId, change);
    }

    @Override
    public JobInfo setProxy(String jobId, ProxyUsage usage, List<String> proxies, List<String> bypass) {
        return updateOptions(jobId, HttpSettings.proxy(usage, proxies, bypass));
    }

    @Override
    public JobInfo setHttpHeaders(String jobId, List<String> headers) {
        return updateOptions(jobId, HttpSettings.headers(headers));
    }

    @Override
    public JobInfo setRedirects(String jobId, Redirects policy, boolean allowHttpsToHttp) {
        return updateOptions(jobId, HttpSettings.redirects(policy, allowHttpsToHttp));
    }

    @Override
    public JobInfo setTls(String jobId, TlsOptions tls) {
        return updateOptions(jobId, HttpSettings.tls(tls));
    }

    /** A job's options as they are now. */
    public JobOptions options(String jobId) {
        return queue.options(jobId);
    }

    @Override
    public JobInfo setMaxRate(String jobId, long bytesPerSecond) {
        Bandwidth cap;
        try {
            cap = Bandwidth.of(bytesPerSecond);
        } catch (IllegalArgumentException e) {
            throw JbitsException.invalidArgument(e.getMessage());
        }
        return updateOptions(jobId, o -> RateSettings.from(o).withMax(cap).writeTo(o));
    }

    /** Puts the owner's bandwidth policy in force; running transfers follow within a second. */
    public void setBandwidthPolicy(BandwidthPolicy policy) {
        queue.pacing().setPolicy(policy);
    }

    /** The bandwidth policy in force. */
    public BandwidthPolicy bandwidthPolicy() {
        return queue.pacing().policy();
    }

    /** The limits in force now (the schedule's entry of the moment, the scavenger's decision) and why. */
    public BandwidthPolicy.InForce bandwidthNow() {
        return queue.pacing().statusNow();
    }

    /** The background governor's latest view of the link (competing traffic, queuing delay), when it has one. */
    public Optional<BackgroundGovernor.Status> governorStatus() {
        return config.backgroundGovernor().status();
    }

    @Override
    public JobInfo setRemoteUrl(String jobId, int fileIndex, String remoteUrl) {
        open();
        return queue.setRemoteUrl(jobId, fileIndex, remoteUrl);
    }

    @Override
    public JobInfo setReplyFile(String jobId, String localPath) {
        open();
        return queue.setReplyFile(jobId, localPath);
    }

    @Override
    public byte[] replyData(String jobId) {
        return queue.replyData(jobId);
    }

    @Override
    public JobInfo setCredentials(String jobId, Credentials credentials) {
        open();
        Credentials c = Objects.requireNonNull(credentials, "credentials").check();
        return queue.updateOptions(jobId, o -> CredentialSettings.from(o).with(c).writeTo(o));
    }

    @Override
    public JobInfo removeCredentials(String jobId, AuthTarget target, AuthScheme scheme) {
        open();
        if (target == null || scheme == null) {
            throw JbitsException.invalidArgument("removing credentials needs a target and a scheme");
        }
        return queue.updateOptions(jobId, o -> CredentialSettings.from(o).without(target, scheme).writeTo(o));
    }

    /**
     * Ties a resource's life to this engine's: it is closed first when the engine closes, before the transfers stop.
     * Used for what listens to the engine on its owner's behalf, such as the runner of notification commands.
     */
    public void closeWith(AutoCloseable companion) {
        companions.add(Objects.requireNonNull(companion, "companion"));
    }

    /** Stops every transfer, checkpoints every file, writes the store and closes it and the transports. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        for (AutoCloseable c; (c = companions.pollLast()) != null; ) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + c + ": " + e.getMessage());
            }
        }
        queue.shutdown();
        syncer.close();
        stopped.countDown();
        checkpointer.soon(); // ends the checkpoint loop's wait
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        checkpointer.checkpoint();
        delivery.close();
        List<AutoCloseable> transports = new ArrayList<>(config.transports());
        transports.addAll(config.uploadTransports());
        for (AutoCloseable t : transports) {
            try {
                t.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing a transport: " + e.getMessage());
            }
        }
        try {
            config.store().close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the store: " + e.getMessage());
        }
    }

    private void open() {
        if (closing) {
            throw new JbitsException(BitsCodes.BG_E_INVALID_STATE, "the engine is shutting down");
        }
    }

    private static void checkLength(String what, String value, int max) {
        if (value.length() > max) {
            throw new JbitsException(BitsCodes.BG_E_STRING_TOO_LONG,
                    what + " is " + value.length() + " characters long; at most " + max + " allowed");
        }
    }
}
