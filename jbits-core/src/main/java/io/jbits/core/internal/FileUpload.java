package io.jbits.core.internal;

import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.UploadOutcome;
import io.jbits.spi.UploadProgress;
import io.jbits.spi.UploadRequest;
import io.jbits.spi.UploadTransport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Uploads the one file of an upload job, continuing the session the store remembers. The server's acknowledged
 * offset is the progress (the server has those bytes on disk), so nothing needs a local checkpoint. The local file
 * must stay as it was when it was added: a change of size or modification time ends the job in ERROR
 * ({@code BG_E_LOCAL_FILE_CHANGED}), as in BITS.
 */
final class FileUpload {
    private static final long LOCAL_CHECK_INTERVAL_NANOS = 1_000_000_000L;

    private final RunHost host;
    private final JobRun run;
    private final FileModel file;
    private final boolean wantReply;
    private final String owner;
    private final String options;
    private volatile boolean aborted;
    private long lastLocalCheck = System.nanoTime();

    FileUpload(RunHost host, JobRun run, FileModel file, boolean wantReply, String owner, String options) {
        this.host = host;
        this.run = run;
        this.file = file;
        this.wantReply = wantReply;
        this.owner = owner;
        this.options = options;
    }

    void abort() {
        aborted = true;
    }

    /** The outcome of {@link #run}: an error, or where the reply waits (null when none or stopped). */
    record Result(JobError error, URI replyUrl, boolean complete) {
    }

    Result run() {
        String url = file.remoteUrl;
        URI uri = URI.create(url);
        UploadTransport transport = host.uploadTransportFor(uri);
        if (transport == null) {
            return new Result(new JobError(BitsCodes.E_INVALIDARG, ErrorContext.REMOTE_FILE,
                    "no upload transport for " + url, null, file.index, false), null, false);
        }
        try {
            checkLocalFile();
            UploadRequest request = request();
            UploadOutcome outcome;
            Pacing.Registration moving = run.job.pacer.moving(uri);
            try {
                outcome = transport.upload(request, new Progress());
            } finally {
                moving.close();
            }
            if (!outcome.complete()) {
                return new Result(null, null, false);
            }
            synchronized (file) {
                file.transportState = outcome.sessionState();
                file.written = file.bytesTotal;
                file.durable = file.bytesTotal;
                file.completed = true;
            }
            host.fileChanged(file, !wantReply); // with a reply, the run stores it together with the reply URL
            if (wantReply && outcome.replyUrl() == null) {
                return new Result(new JobError(BitsCodes.BG_E_INVALID_SERVER_RESPONSE, ErrorContext.REMOTE_FILE,
                        "the server finished the upload to " + url + " without a reply URL", null, file.index,
                        false), null, true);
            }
            return new Result(null, outcome.replyUrl(), true);
        } catch (TransferFailure f) {
            return new Result(aborted ? null : f.error().forFile(file.index), null, false);
        } catch (IOException e) {
            return new Result(aborted ? null : Errors.network(e, url, file.index), null, false);
        }
    }

    /** The request for this file with the session the store remembers. */
    UploadRequest request() {
        return new UploadRequest(URI.create(file.remoteUrl), Path.of(file.localPath), file.bytesTotal,
                file.transportState, wantReply, owner, options);
    }

    private void checkLocalFile() throws TransferFailure {
        Path p = Path.of(file.localPath);
        try {
            long size = Files.size(p);
            String mtime = String.valueOf(Files.getLastModifiedTime(p).toMillis());
            if (size != file.bytesTotal || !mtime.equals(file.validator.lastModified())) {
                throw changed(p + " changed since it was added to the job (size " + file.bytesTotal + " → " + size
                        + ")");
            }
        } catch (NoSuchFileException e) {
            throw changed(p + " was deleted during the upload");
        } catch (IOException e) {
            throw new TransferFailure(new JobError(BitsCodes.E_ACCESSDENIED, ErrorContext.LOCAL_FILE,
                    "cannot read " + p + ": " + e.getMessage(), null, file.index, false));
        }
    }

    private TransferFailure changed(String message) {
        return new TransferFailure(new JobError(BitsCodes.BG_E_LOCAL_FILE_CHANGED, ErrorContext.LOCAL_FILE,
                message, null, file.index, false));
    }

    private final class Progress implements UploadProgress {
        private boolean connected;

        @Override
        public void sessionChanged(String sessionState) {
            synchronized (file) {
                file.transportState = sessionState;
            }
            host.fileChanged(file, true);
            connect();
        }

        @Override
        public void acknowledged(long bytes) throws TransferFailure {
            connect();
            long delta;
            synchronized (file) {
                delta = bytes - file.written;
                file.written = bytes;
                file.durable = bytes;
            }
            if (delta > 0) {
                host.progress(run, delta);
            }
            host.fileChanged(file, false);
            long now = System.nanoTime();
            if (now - lastLocalCheck >= LOCAL_CHECK_INTERVAL_NANOS) {
                lastLocalCheck = now;
                checkLocalFile();
            }
        }

        @Override
        public int pace(int bytes) {
            JobPacer pacer = run.job.pacer;
            int n = pacer.readBytes(bytes);
            JobPacer.Grant grant = pacer.acquire(n, this::stopRequested);
            if (grant == null) {
                return stopRequested() ? 0 : n; // interrupted: let the buffer go, the stop check follows
            }
            pacer.used(grant, n);
            return n;
        }

        @Override
        public boolean stopRequested() {
            return aborted || run.stopRequested();
        }

        private void connect() {
            if (!connected) {
                connected = true;
                host.connected(run);
            }
        }
    }
}
