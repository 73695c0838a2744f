package io.jbits.core.internal;

import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.spi.JobOptions;
import io.jbits.spi.RateSettings;
import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.Transport;
import io.jbits.spi.Validator;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Moves one remote file into its temporary file, from the last durable byte on.
 *
 * <p>The rules that keep wrong bytes out (docs/bits.md §3.4–3.5, docs/architecture.md "One download, end to end"):
 * <ul>
 *   <li>The request carries the stored validator; a server that sends the whole entity instead of the range
 *       (range ignored, or If-Range found a new version) restarts the file from zero with those same bytes.</li>
 *   <li>A range answer for an entity whose validator differs from the stored one restarts from zero too, so
 *       bytes of two versions never mix.</li>
 *   <li>Without a known size nothing can be resumed: such a file always starts from zero.</li>
 *   <li>Before the first byte of a new version is written, its validator and offset 0 are made durable, so a
 *       crash can never pair old progress with new bytes.</li>
 * </ul>
 */
final class FileDownload {
    private static final int BUFFER_BYTES = 256 * 1024;
    private static final int MIN_BUFFER_BYTES = 8 * 1024;
    private static final int MAX_RESTARTS = 3;

    private final RunHost host;
    private final JobRun run;
    private final FileModel file;
    private final String owner;
    private final String options;
    private volatile RemoteBody body;
    /** How long the last request took to answer; 100 ms until one has. */
    private long rttNanos = 100_000_000L;
    private volatile boolean aborted;
    /** True once every byte is written and the syncer owns the file's durability. */
    private boolean handedOver;

    FileDownload(RunHost host, JobRun run, FileModel file, String owner, String options) {
        this.host = host;
        this.run = run;
        this.file = file;
        this.owner = owner;
        this.options = options;
    }

    /** Stops the transfer from another thread: the body is closed, so a blocked read ends at once. */
    void abort() {
        aborted = true;
        closeQuietly(body);
    }

    /** Runs the transfer; returns null when the file is complete or the run was stopped, else the error. */
    JobError run() {
        String url = file.remoteUrl;
        URI uri = URI.create(url);
        Transport transport = host.transportFor(uri);
        if (transport == null) {
            return new JobError(BitsCodes.E_INVALIDARG, ErrorContext.REMOTE_FILE,
                    "no transport for " + url, null, file.index, false);
        }
        FileChannel channel = null;
        try {
            for (int restarts = 0; ; restarts++) {
                long offset = resumeOffset();
                Validator known = offset > 0 ? file.validator : Validator.NONE;
                RemoteBody b;
                try {
                    long asked = System.nanoTime();
                    b = transport.open(new RemoteRequest(uri, offset, known, owner, requestOptions()));
                    rttNanos = System.nanoTime() - asked; // the response head's delay: at least one round trip
                } catch (TransferFailure f) {
                    if (f.error().code() == BitsCodes.BG_E_REMOTE_FILE_CHANGED && restarts < MAX_RESTARTS) {
                        channel = ensureChannel(channel);
                        restartFromZero(channel, Validator.NONE);
                        continue;
                    }
                    throw f;
                }
                body = b;
                if (aborted) {
                    return null;
                }
                if (b.reportFinalUri() && !b.finalUri().toString().equals(file.remoteUrl)) {
                    file.remoteUrl = b.finalUri().toString(); // redirects "report": the remote name follows
                    host.fileChanged(file, false);
                }
                host.connected(run);
                channel = ensureChannel(channel);
                Validator now = b.validator();
                if (b.offset() == 0 && offset > 0) {
                    restartFromZero(channel, now); // the whole entity came back: a new version, or no ranges
                } else if (b.offset() != offset) {
                    return Errors.badResponse("asked for bytes from " + offset + " of " + url
                            + " but the server sent them from " + b.offset(), file.index);
                } else if (offset > 0 && !known.isEmpty() && !known.sameEntity(now)) {
                    closeQuietly(b);
                    if (restarts >= MAX_RESTARTS) {
                        return new JobError(BitsCodes.BG_E_REMOTE_FILE_CHANGED, ErrorContext.REMOTE_FILE,
                                url + " keeps changing while it downloads", null, file.index, true);
                    }
                    restartFromZero(channel, Validator.NONE);
                    continue;
                } else if (offset == 0) {
                    adopt(now);
                }
                copy(b, channel, url);
                return null;
            }
        } catch (TransferFailure f) {
            return aborted ? null : f.error().forFile(file.index);
        } catch (LocalFileException e) {
            return aborted ? null : Errors.local(e.cause(), file.tempPath(), file.index);
        } catch (IOException e) {
            return aborted ? null : Errors.network(e, url, file.index);
        } finally {
            closeQuietly(body);
            checkpointAndClose(channel);
        }
    }

    /** The job's options plus the receive buffer its limits call for (a request option, never stored). */
    private String requestOptions() {
        return run.requestOptions(options, run.job.pacer.receiveBufferBytes(rttNanos));
    }

    /** The job's options plus a receive buffer, as JSON. */
    static String withReceiveBuffer(String options, int bufferBytes) {
        try {
            return RateSettings.withReceiveBuffer(JobOptions.parse(options), bufferBytes).toJson();
        } catch (IllegalArgumentException e) {
            return options;
        }
    }

    /** Where to ask from: the written bytes, or zero when they cannot be validated; one byte back when all are in. */
    private long resumeOffset() {
        synchronized (file) {
            long offset = file.written;
            if (offset > 0 && file.bytesTotal < 0) {
                return 0;
            }
            if (offset > 0 && offset == file.bytesTotal) {
                return offset - 1; // all bytes are here but unconfirmed: one byte re-validates the version
            }
            return offset;
        }
    }

    private void copy(RemoteBody b, FileChannel channel, String url) throws IOException {
        long position = b.offset();
        ByteBuffer buf = ByteBuffer.allocate(bufferBytes(b.validator().size(), position));
        synchronized (file) {
            file.written = position; // equal, or one byte back when every byte was already here
        }
        if (position > 0) {
            local(() -> channel.position(position)); // a channel comes here at 0: opened, or truncated to 0
        }
        long expected = b.validator().size();
        JobPacer pacer = run.job.pacer;
        Pacing.Registration moving = pacer.moving(b.finalUri());
        boolean ended;
        try {
            ended = pump(b, channel, buf, pacer);
        } finally {
            moving.close();
        }
        if (aborted) {
            return;
        }
        if (!ended) {
            /* The wait for bandwidth was interrupted: the body's end was never read, so even a body of unknown
               size is unfinished. Its bytes so far are kept; the retry resumes after them. */
            throw new InterruptedIOException("interrupted while waiting for bandwidth for " + url);
        }
        long have = file.written;
        if (expected >= 0 && have != expected) {
            throw new IOException("body ended after " + have + " of " + expected + " bytes of " + url);
        }
        handedOver = true;
        host.written(run, file); // made durable in a batch; counted transferred after that
    }

    /**
     * The copy buffer for a body: {@link #BUFFER_BYTES}, or less when fewer bytes are left, so a thousand small
     * files at once do not hold a thousand large buffers.
     */
    static int bufferBytes(long entityBytes, long offset) {
        if (entityBytes < 0) {
            return BUFFER_BYTES;
        }
        return (int) Math.clamp(entityBytes - offset, MIN_BUFFER_BYTES, BUFFER_BYTES);
    }

    /**
     * Reads the body to its end, each read sized to the job's tightest bucket and paced by it (the bytes are
     * reserved before the read, so a paced read never pulls more from the socket than the limits allow). Every
     * chunk read is written here, before the next read; nothing is left in {@code buf} for the caller.
     *
     * @return true when the body's end was read; false when the copy was aborted or its wait for bandwidth was
     *     interrupted
     */
    private boolean pump(RemoteBody b, FileChannel channel, ByteBuffer buf, JobPacer pacer) throws IOException {
        long asked = 0; // where this copy last asked for a checkpoint round
        while (!aborted) {
            int want = pacer.readBytes(buf.capacity());
            JobPacer.Grant grant = pacer.acquire(want, () -> aborted);
            if (grant == null) {
                return false;
            }
            buf.clear().limit(want);
            int n;
            try {
                n = b.read(buf);
            } finally {
                pacer.used(grant, Math.max(0, buf.position()));
            }
            if (n < 0) {
                return true;
            }
            buf.flip();
            local(() -> {
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
                return null;
            });
            long written = file.written + n;
            file.written = written;
            if (written - Math.max(asked, file.durable) >= Checkpointer.STEP_BYTES) {
                asked = written;
                host.backlog(file); // the disk writes while the network goes on
            }
            boolean newBytes = written > file.mostWritten;
            if (newBytes) {
                file.mostWritten = written;
            }
            host.progress(run, n, newBytes);
        }
        return false;
    }

    /**
     * Takes the validator of the entity about to be written from byte 0. It must be durable before its bytes only
     * when an older validator is stored (a crash must not pair old progress with new bytes); a first validator can
     * go with the next batch, which keeps thousands of small files to one commit per batch.
     */
    private void adopt(Validator now) {
        boolean changed;
        boolean hadOne;
        synchronized (file) {
            hadOne = !file.validator.isEmpty();
            changed = !now.equals(file.validator) || file.bytesTotal != now.size();
            file.validator = now;
            file.bytesTotal = now.size();
        }
        if (changed) {
            host.fileChanged(file, hadOne);
        }
    }

    private void restartFromZero(FileChannel channel, Validator now) throws IOException {
        synchronized (file) {
            file.resetProgress();
            file.validator = now;
            file.bytesTotal = now.size();
            local(() -> channel.truncate(0));
        }
        host.fileChanged(file, true);
    }

    private FileChannel ensureChannel(FileChannel current) throws IOException {
        if (current != null) {
            return current;
        }
        Path temp = Path.of(file.tempPath());
        FileChannel ch = local(() -> {
            /* The open alone in the common case (the directory is there): no stat per file. A missing directory
               makes it fail; then the directories are made and the open tried once more. */
            try {
                return FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                Path dir = temp.getParent();
                if (dir == null) {
                    throw e;
                }
                Files.createDirectories(dir);
                return FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            }
        });
        long size = local(ch::size);
        synchronized (file) {
            if (size > file.written) {
                local(() -> ch.truncate(file.written)); // bytes past the checkpoint are not trusted
            } else if (size < file.written) {
                file.generation++;
                file.written = size; // the temporary file lost bytes (deleted or cut): keep what is there
                file.durable = Math.min(file.durable, size);
            }
            file.channel = ch;
        }
        host.writing(file, true);
        return ch;
    }

    private void checkpointAndClose(FileChannel channel) {
        if (channel == null) {
            return;
        }
        host.writing(file, false);
        try {
            if (channel.isOpen() && !file.completed && !handedOver) {
                channel.force(false);
                synchronized (file) {
                    file.durable = Math.max(file.durable, file.written);
                }
            }
        } catch (IOException e) {
            // the bytes after the last checkpoint are fetched again; nothing is lost but time
        } finally {
            synchronized (file) {
                file.channel = null;
            }
            closeQuietly(channel);
        }
        host.fileChanged(file, false);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // closing after a failure or an abort: the first problem is the one reported
            }
        }
    }

    @FunctionalInterface
    private interface LocalOp<T> {
        T call() throws IOException;
    }

    /** Runs a local file operation, marking its IOException as local (not network). */
    private static <T> T local(LocalOp<T> op) throws LocalFileException {
        try {
            return op.call();
        } catch (LocalFileException e) {
            throw e;
        } catch (IOException e) {
            throw new LocalFileException(e);
        }
    }

    /** An IOException of the local disk, kept apart from network failures. */
    static final class LocalFileException extends IOException {
        private static final long serialVersionUID = 1L;

        LocalFileException(IOException cause) {
            super(cause.getMessage(), cause);
        }

        IOException cause() {
            return (IOException) getCause();
        }
    }
}
