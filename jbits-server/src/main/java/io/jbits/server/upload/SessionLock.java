package io.jbits.server.upload;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The exclusive right to change one session, held for one packet: a POSIX record lock ({@code fcntl(F_SETLKW)}
 * through {@link FileChannel#lock()}) on the session's {@code lock} file, which every node of a farm sharing the
 * session directory honours, plus an in-process lock, because one JVM cannot take the same record lock twice (two
 * handlers on one directory in one JVM, or two threads of one node).
 *
 * <p>Why a record lock and not a lock file: the kernel (or the NFSv4/SMB server, when the lease lapses) releases a
 * record lock when its process dies, so a node killed in the middle of a fragment leaves nothing that blocks the
 * session, while a lock file would outlive it. Taking the lock also makes an NFS client revalidate its cached
 * attributes and data of the file, so the state read after it is the one the last holder wrote.
 */
final class SessionLock implements AutoCloseable {

    /*
     * Striped rather than per session so that nothing has to be removed when a session ends; two sessions sharing
     * a stripe only wait for each other within one node, for the length of a packet.
     */
    private static final ReentrantLock[] STRIPES = new ReentrantLock[256];

    static {
        for (int i = 0; i < STRIPES.length; i++) {
            STRIPES[i] = new ReentrantLock();
        }
    }

    private final ReentrantLock stripe;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private SessionLock(ReentrantLock stripe, FileChannel channel, FileLock lock) {
        this.stripe = stripe;
        this.channel = channel;
        this.lock = lock;
    }

    private static ReentrantLock stripe(String key) {
        return STRIPES[Math.floorMod(key.hashCode(), STRIPES.length)];
    }

    /**
     * Waits for the lock of session {@code key} on {@code lockFile}, or returns null when the session is gone (its
     * directory was removed or renamed away for deletion).
     */
    static SessionLock acquire(String key, Path lockFile) throws IOException {
        ReentrantLock stripe = stripe(key);
        stripe.lock();
        try {
            FileChannel channel = open(lockFile);
            if (channel == null) {
                stripe.unlock();
                return null;
            }
            try {
                return new SessionLock(stripe, channel, channel.lock());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            if (stripe.isHeldByCurrentThread()) {
                stripe.unlock();
            }
            throw e;
        }
    }

    /** The lock if nobody holds it now (cleanup skips busy sessions), else null; null too when the session is gone. */
    static SessionLock tryAcquire(String key, Path lockFile) throws IOException {
        ReentrantLock stripe = stripe(key);
        if (!stripe.tryLock()) {
            return null;
        }
        FileChannel channel = null;
        try {
            channel = open(lockFile);
            FileLock lock = channel == null ? null : channel.tryLock();
            if (lock != null) {
                return new SessionLock(stripe, channel, lock);
            }
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            stripe.unlock();
            throw e;
        }
        if (channel != null) {
            channel.close();
        }
        stripe.unlock();
        return null;
    }

    private static FileChannel open(Path lockFile) throws IOException {
        try {
            // CREATE: sessions persisted by an older version have no lock file; a removed session has no
            // directory, so the open fails there instead of creating anything.
            return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Releases the record lock, closes the file and the in-process lock; closing it again does nothing. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (channel) {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            stripe.unlock();
        }
    }
}
