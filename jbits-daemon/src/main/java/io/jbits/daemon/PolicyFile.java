package io.jbits.daemon;

import io.jbits.core.policy.BandwidthPolicy;
import io.jbits.core.Engine;
import io.jbits.core.policy.Timetable;
import io.jbits.rest.Json;
import io.jbits.spi.BackgroundGovernor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The bandwidth policy file of the state directory ({@code bandwidth.conf}), kept in force in the engine.
 *
 * <p>People may edit the file. While a job has a run, the file is read again every second, so an edit applies to
 * the transfers within a second. While none has, it is read whenever a job may start (one is resumed, say), at
 * every look at the policy ({@code GET /v1/policy}, the dashboard) and at least every ten minutes:
 * an idle service wakes no thread for it, and nothing uses the policy until a transfer runs. A file that does not parse changes nothing: the policy in force stays, the error
 * (with its line) is logged and shown by {@code GET /v1/policy}. {@code PATCH /v1/policy} validates every value
 * before it writes anything, then replaces the file atomically (a temporary file renamed over it) and puts the new
 * policy in force. A missing file is written with the defaults and their documentation at start.
 */
final class PolicyFile implements ApiConfig.Policies, AutoCloseable {
    static final String NAME = "bandwidth.conf";
    private static final System.Logger LOG = System.getLogger(PolicyFile.class.getName());
    /** How often the file is read while a job has a run. */
    private static final long BUSY_POLL_MILLIS = 1_000;
    /** The longest an idle service goes without reading it: a safety net, a job that may start wakes it. */
    private static final Duration IDLE_RECHECK = Duration.ofMinutes(10);
    /** How long after a change to the file is seen it is read again: an editor's write is over long before. */
    private static final long SETTLE_MILLIS = 100;

    private final Path file;
    private final Engine engine;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread watcher;
    /** The file's text as last read or written (null: missing). Guarded by {@code this}. */
    private String lastText;
    private String fileError;

    private PolicyFile(Path file, Engine engine) {
        this.file = file;
        this.engine = engine;
        // A virtual thread: it mostly waits, and an idle service keeps no platform thread for it.
        this.watcher = Thread.ofVirtual().name("jbits-policy-file").unstarted(this::watch);
    }

    /** Reads the policy file (writing the default one when there is none), puts it in force and watches it. */
    static PolicyFile start(Path stateDir, Engine engine) throws IOException {
        PolicyFile p = new PolicyFile(stateDir.resolve(NAME), engine);
        if (!Files.exists(p.file)) {
            p.write(engine.bandwidthPolicy());
        }
        p.reload();
        p.watcher.start();
        return p;
    }

    Path file() {
        return file;
    }

    /**
     * Reads the file every {@link #BUSY_POLL_MILLIS} ms while a job has a run, and while none has, whenever the
     * engine's scheduler is woken (a job resumed, say: {@link Engine#awaitWhileIdle}) or {@link #IDLE_RECHECK}. It replaces a
     * kernel watch (inotify through a {@link java.nio.file.WatchService}), whose JDK implementation keeps a platform
     * thread of its own for the life of the service; an idle service now keeps none for the file, and a state
     * directory on a network file system, where inotify sees nothing, is read all the same.
     */
    private void watch() {
        try {
            while (closed.getCount() > 0) {
                if (!engine.awaitWhileIdle(IDLE_RECHECK) && closed.await(BUSY_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    return;
                }
                if (closed.getCount() > 0) {
                    reload();
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** The file's text; null when it is missing. */
    private String read() throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Reads the file; a changed text that parses is put in force, one that does not is reported. */
    synchronized void reload() {
        String text;
        try {
            text = read();
            if (text == null ? lastText == null : text.equals(lastText)) {
                return;
            }
            /*
             * A write in place is a truncation, then the text: a read in between sees an empty or partial file. Let
             * the writer finish, and take what it wrote by then.
             */
            Thread.sleep(SETTLE_MILLIS);
            text = read();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: the next read decides
            return;
        } catch (IOException e) {
            if (closed.getCount() == 0) {
                return; // interrupted by close: nothing to report
            }
            if (fileError == null) {
                LOG.log(Level.WARNING, "cannot read {0}: {1}; the bandwidth policy stays as it is", file,
                        e.getMessage());
            }
            fileError = "cannot read " + file + ": " + e.getMessage();
            return;
        }
        if (text == null ? lastText == null : text.equals(lastText)) {
            return;
        }
        lastText = text;
        try {
            BandwidthPolicy p = text == null ? BandwidthPolicy.NONE : BandwidthPolicy.parse(text);
            engine.setBandwidthPolicy(p);
            fileError = null;
            LOG.log(Level.INFO, "bandwidth policy from {0}: limit {1}, background limit {2}", file, p.limit(),
                    p.backgroundLimit());
        } catch (IllegalArgumentException e) {
            fileError = file + ": " + e.getMessage();
            LOG.log(Level.WARNING, "{0}; the bandwidth policy in force stays as it was", fileError);
        }
    }

    @Override
    public synchronized Json.Policy show() {
        reload(); // an edit made while the service was idle
        BandwidthPolicy p = engine.bandwidthPolicy();
        BandwidthPolicy.InForce now = engine.bandwidthNow();
        return new Json.Policy(p.limit().text(), p.backgroundLimit().text(), now.limit().toString(), now.limitWhy(),
                now.backgroundLimit().toString(), now.backgroundWhy(), file.toString(), fileError,
                engine.governorStatus().map(PolicyFile::governor).orElse(null));
    }

    private static Json.Governor governor(BackgroundGovernor.Status s) {
        return new Json.Governor(s.competingBytesPerSecond(), s.queuingDelay().toMillis(), s.target().toMillis(),
                s.allowedBytesPerSecond(), s.reason());
    }

    @Override
    public synchronized Json.Policy change(Json.PolicyChange change) {
        BandwidthPolicy p = engine.bandwidthPolicy();
        if (change.limit() != null) {
            p = p.withLimit(parse("limit", change.limit()));
        }
        if (change.backgroundLimit() != null) {
            p = p.withBackgroundLimit(parse("background limit", change.backgroundLimit()));
        }
        try {
            write(p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
        engine.setBandwidthPolicy(p);
        fileError = null;
        LOG.log(Level.INFO, "bandwidth policy set: limit {0}, background limit {1}", p.limit(),
                p.backgroundLimit());
        return show();
    }

    private static Timetable parse(String what, String text) {
        try {
            return Timetable.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the file atomically with the policy's text. */
    private void write(BandwidthPolicy p) throws IOException {
        String text = p.toFileText();
        Path tmp = file.resolveSibling(NAME + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        lastText = text;
    }

    @Override
    public void close() {
        closed.countDown();
        watcher.interrupt(); // it may wait on the engine's jobs for minutes
        try {
            watcher.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
