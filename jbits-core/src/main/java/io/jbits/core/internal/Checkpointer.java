package io.jbits.core.internal;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Makes progress durable while bytes move: for each file being written, fsync its data, then record the offset
 * that the fsync covered. Runs beside the transfers, so they never wait for the disk; a crash re-fetches at most
 * the bytes of one interval.
 *
 * <p>A round runs every interval, and sooner when a file has {@link #STEP_BYTES} written that no round forced yet
 * ({@link #soon}): a fast transfer's bytes then go to the disk while it goes on, and the force at its end (before
 * the file counts as transferred) finds little left to write, instead of the disk and the network taking turns.
 */
public final class Checkpointer {
    private static final System.Logger LOG = System.getLogger(Checkpointer.class.getName());
    /** Bytes of one file beyond its last checkpoint that ask for a round before the interval ends. */
    public static final long STEP_BYTES = 64L << 20;
    private final Set<FileModel> active = ConcurrentHashMap.newKeySet();
    private final Persister persister;
    private final Object rounds = new Object();
    /** A round was asked for since the last one began. Guarded by {@link #rounds}. */
    private boolean asked;

    public Checkpointer(Persister persister) {
        this.persister = persister;
    }

    void writing(FileModel f, boolean on) {
        if (on) {
            active.add(f);
        } else {
            active.remove(f);
        }
    }

    /** Asks for a round now rather than at the end of the interval: a file holds many bytes no round forced. */
    public void soon() {
        synchronized (rounds) {
            asked = true;
            rounds.notifyAll();
        }
    }

    /** Waits up to {@code nanos}, or until a round is asked for ({@link #soon}); the ask is then consumed. */
    public void awaitRound(long nanos) throws InterruptedException {
        synchronized (rounds) {
            if (!asked) {
                TimeUnit.NANOSECONDS.timedWait(rounds, nanos);
            }
            asked = false;
        }
    }

    /** One round: force every active file, publish the offsets, flush the store. */
    public void checkpoint() {
        for (FileModel f : active) {
            FileChannel ch;
            long pos;
            long gen;
            synchronized (f) {
                ch = f.channel;
                pos = f.written;
                gen = f.generation;
            }
            if (ch == null || pos <= f.durable) {
                continue;
            }
            try {
                ch.force(false);
            } catch (ClosedChannelException e) {
                continue; // the transfer closed it after its own checkpoint
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "fsync of " + f.tempPath() + " failed: " + e.getMessage());
                continue;
            }
            synchronized (f) {
                if (f.generation == gen && pos > f.durable) {
                    f.durable = pos;
                }
            }
            persister.file(f);
        }
        try {
            persister.flush();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "checkpoint not stored: " + e.getMessage());
        }
    }
}
