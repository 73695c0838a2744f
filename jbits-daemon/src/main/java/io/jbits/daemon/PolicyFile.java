package io.jbits.daemon;

import io.jbits.core.policy.BandwidthPolicy;
import io.jbits.core.Engine;
import io.jbits.core.policy.Timetable;
import io.jbits.rest.Json;
import io.jbits.spi.BackgroundGovernor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The bandwidth policy file of the state directory ({@code bandwidth.conf}), kept in force in the engine.
 *
 * <p>People may edit the file: it is read again whenever the kernel reports a change to it (and at least every ten
 * minutes), so an edit applies within a second. A file that does not parse changes nothing: the policy in force stays, the error
 * (with its line) is logged and shown by {@code GET /v1/policy}. {@code PATCH /v1/policy} validates every value
 * before it writes anything, then replaces the file atomically (a temporary file renamed over it) and puts the new
 * policy in force. A missing file is written with the defaults and their documentation at start.
 */
final class PolicyFile implements ApiConfig.Policies, AutoCloseable {
    static final String NAME = "bandwidth.conf";
    private static final System.Logger LOG = System.getLogger(PolicyFile.class.getName());
    private static final long POLL_MILLIS = 250;
    private static final long RECHECK_SECONDS = 600;
    /** How long after a change to the file it is read: an editor's write is over long before. */
    private static final long SETTLE_MILLIS = 100;

    private final Path file;
    private final Engine engine;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread watcher;
    private volatile WatchService watchService;
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
        p.watchService = p.openWatch(); // before the first read: an edit from then on is seen
        p.reload();
        p.watcher.start();
        return p;
    }

    Path file() {
        return file;
    }

    /** The kernel's watch on the state directory, or null when there is none to be had (then the file is polled). */
    private WatchService openWatch() {
        try {
            WatchService watch = file.getFileSystem().newWatchService();
            try {
                file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
                return watch;
            } catch (IOException | RuntimeException e) {
                watch.close();
                throw e;
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.DEBUG, "no watch service for {0} ({1}): polling it", file, e.toString());
            return null;
        }
    }

    /**
     * Reloads the file when the kernel reports a change to it (inotify, through a {@link WatchService}), and at
     * least every {@link #RECHECK_SECONDS} s for changes inotify does not see (a state directory on a network file
     * system); polls every {@link #POLL_MILLIS} ms when no watch service can be had. An idle service so never
     * wakes for the file: the watch service's one platform thread sleeps in the kernel, where four polls a second
     * kept the virtual-thread scheduler's carriers alive.
     */
    private void watch() {
        WatchService watch = watchService;
        if (watch == null) {
            poll();
            return;
        }
        try (watch) {
            while (closed.getCount() > 0) {
                WatchKey key = watch.poll(RECHECK_SECONDS, TimeUnit.SECONDS);
                if (key == null) {
                    reload(); // the periodic recheck
                } else if (ours(key)) {
                    /*
                     * A write in place is a truncation, then the text: reading at the first event would see an
                     * empty file. Let the writer finish, and take the events it made meanwhile with this read.
                     */
                    Thread.sleep(SETTLE_MILLIS);
                    for (WatchKey more; (more = watch.poll()) != null; ) {
                        ours(more);
                    }
                    reload();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the watch service of {0}: {1}", file, e.toString());
        }
    }

    /** Whether the key's events concern the policy file; resets the key. */
    private boolean ours(WatchKey key) {
        boolean ours = false;
        for (WatchEvent<?> e : key.pollEvents()) {
            ours |= e.kind() == StandardWatchEventKinds.OVERFLOW || file.getFileName().equals(e.context());
        }
        key.reset();
        return ours;
    }

    private void poll() {
        try {
            while (!closed.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                reload();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads the file; a changed text that parses is put in force, one that does not is reported. */
    synchronized void reload() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            text = null;
        } catch (IOException e) {
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
        WatchService w = watchService;
        if (w != null) {
            try {
                w.close(); // ends the watcher's wait at once
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing the watch service of {0}: {1}", file, e.toString());
            }
        }
        try {
            watcher.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
