package io.jbits.server.upload;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Starts writing a fragment's bytes back to disk while the rest of the fragment still arrives, so that the force
 * before its Ack (which stays, and alone makes the fragment durable) finds little left to write.
 *
 * <p>Why: the page cache holds a fragment's bytes until something flushes them; with a flush only at the end, the
 * receive loop and the disk take turns (up to 13 MB arrive, then up to 13 MB are written while the client waits).
 * Here every {@link #STEP_BYTES} written start a background force of what has arrived so far, on its own channel
 * (so the receive loop's positional writes never wait on it), one at a time; the receive loop goes on at once. A
 * background force that fails is only logged: it promises nothing, and the final force reports the failure again.
 *
 * <p>Not thread-safe: one per fragment, used by the thread that writes the fragment.
 */
final class EarlyWriteback implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EarlyWriteback.class.getName());

    /** Bytes written between two background forces: large enough that a force is worth a thread switch. */
    static final long STEP_BYTES = 4L << 20;

    private final Path file;
    private long sinceLastBytes;
    private FileChannel channel;
    private Thread running;
    private int started;

    EarlyWriteback(Path file) {
        this.file = file;
    }

    /** Counts {@code bytes} just written; starts a background force when a step is full and none is running. */
    void written(long bytes) {
        sinceLastBytes += bytes;
        if (sinceLastBytes < STEP_BYTES || (running != null && running.isAlive())) {
            return;
        }
        try {
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.WRITE);
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "No early write-back for {0}: {1}", file, e.getMessage());
            sinceLastBytes = Long.MIN_VALUE; // none for the rest of this fragment
            return;
        }
        sinceLastBytes = 0;
        started++;
        FileChannel forced = channel;
        running = Thread.ofVirtual().name("jbits-upload-writeback").start(() -> {
            try {
                forced.force(false);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "Early write-back of {0} failed (the force before the Ack decides): {1}",
                        file, e.getMessage());
            }
        });
    }

    /** How many background forces this fragment started. */
    int forcesStarted() {
        return started;
    }

    /** Waits for the background force in flight, if any, and closes its channel. */
    @Override
    public void close() {
        Thread last = running;
        if (last != null) {
            boolean interrupted = false;
            while (true) {
                try {
                    last.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "Closing the write-back channel of {0}: {1}", file, e.getMessage());
            }
        }
    }
}
