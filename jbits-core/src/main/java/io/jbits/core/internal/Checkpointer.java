package io.jbits.core.internal;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes progress durable while bytes move: for each file being written, fsync its data, then record the offset
 * that the fsync covered. Runs beside the transfers, so they never wait for the disk; a crash re-fetches at most
 * the bytes of one interval.
 */
public final class Checkpointer {
    private static final System.Logger LOG = System.getLogger(Checkpointer.class.getName());
    private final Set<FileModel> active = ConcurrentHashMap.newKeySet();
    private final Persister persister;

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
