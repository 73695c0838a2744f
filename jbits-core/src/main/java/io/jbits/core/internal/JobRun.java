package io.jbits.core.internal;

import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.api.JobType;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.UploadTransport;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One turn of one job: its unfinished files move, up to {@code parallelFiles} at a time (BITS moves them one by
 * one; many small files deserve better), each on its own virtual thread. The first failure stops the others, as
 * in BITS an error on one file stops the job.
 */
final class JobRun {
    private static final System.Logger LOG = System.getLogger(JobRun.class.getName());

    final JobModel job;
    private final RunHost host;
    private final List<FileModel> pending;
    private final int parallelFiles;
    private final String owner;
    private final String options;
    private final Queue<FileModel> queue;
    /** How to abort each transfer in flight, with the index of its file (-1: not a download of one file). */
    private final Map<Runnable, Integer> aborts = new LinkedHashMap<>();
    /** Files after this index are not started, and stopped when running: an earlier file failed. */
    private volatile int failIndex = Integer.MAX_VALUE;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean stopRequested;
    /** Files handed to the syncer and not yet reported durable. Guarded by {@code this}. */
    private int unsynced;
    private IOException syncFailure;
    private JobError firstFailure;
    /**
     * The last request options made, and from what: every file of a run asks with the same options and nearly always
     * the same receive buffer, so thousands of small files parse and write the options' JSON once, not once each.
     */
    private record RequestOptions(String options, int bufferBytes, String json) {
    }

    private volatile RequestOptions lastRequestOptions;

    JobRun(RunHost host, JobModel job, List<FileModel> pending, int parallelFiles) {
        this.host = host;
        this.job = job;
        this.pending = List.copyOf(pending);
        this.parallelFiles = parallelFiles;
        this.owner = job.owner;
        this.options = job.options;
        this.queue = new ConcurrentLinkedQueue<>(pending);
    }

    /** The options of a file request: {@code options} with this receive buffer. */
    String requestOptions(String options, int bufferBytes) {
        RequestOptions last = lastRequestOptions;
        if (last != null && last.bufferBytes() == bufferBytes && last.options().equals(options)) {
            return last.json();
        }
        String json = FileDownload.withReceiveBuffer(options, bufferBytes);
        lastRequestOptions = new RequestOptions(options, bufferBytes, json);
        return json;
    }

    /** Starts the run on virtual threads and returns at once. */
    void start() {
        Thread.ofVirtual().name("jbits-job-" + job.id.substring(0, 8)).start(this::run);
    }

    /** Asks the run to stop; it checkpoints and reports {@link RunHost.Stopped}. Returns at once. */
    public void stop() {
        stopRequested = true;
        abortAfter(-1);
    }

    /** Waits until the run has ended (its files are checkpointed and closed). */
    public boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
        return ended.await(timeout, unit);
    }

    boolean stopRequested() {
        return stopRequested;
    }

    private void run() {
        RunHost.Outcome outcome;
        try {
            if (job.type != JobType.DOWNLOAD) {
                uploadSteps();
            } else {
                downloadFiles();
            }
            JobError failure;
            synchronized (this) {
                failure = firstFailure;
            }
            if (failure != null) {
                outcome = new RunHost.Failed(failure);
            } else if (stopRequested) {
                outcome = new RunHost.Stopped();
            } else {
                outcome = new RunHost.AllDone();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = new RunHost.Stopped();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "job " + job.id + ": run failed", e);
            outcome = new RunHost.Failed(Errors.internal(e));
        }
        try {
            host.finished(this, outcome);
        } finally {
            ended.countDown();
        }
    }

    private void downloadFiles() throws InterruptedException {
        {
            int workers = Math.max(1, Math.min(parallelFiles, pending.size()));
            List<Thread> threads = new ArrayList<>(workers);
            for (int i = 0; i < workers; i++) {
                threads.add(Thread.ofVirtual().name("jbits-file-" + job.id.substring(0, 8) + "-" + i)
                        .start(this::work));
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        awaitSynced();
    }

    /** A file went to the syncer. */
    synchronized void syncing() {
        unsynced++;
    }

    /** The syncer is done with a file ({@code failure} null when it is durable). */
    synchronized void synced(IOException failure) {
        unsynced--;
        if (failure != null && syncFailure == null) {
            syncFailure = failure;
        }
        notifyAll();
    }

    /** Waits until every file handed to the syncer is durable; a failure to sync fails the run. */
    private void awaitSynced() throws InterruptedException {
        IOException failure;
        boolean waits;
        synchronized (this) {
            waits = unsynced > 0;
        }
        if (waits) {
            host.awaitingDurable(this);
        }
        synchronized (this) {
            while (unsynced > 0) {
                wait();
            }
            failure = syncFailure;
        }
        if (failure != null) {
            fail(new JobError(BitsCodes.E_FAIL, ErrorContext.LOCAL_FILE,
                    "cannot make the downloaded files durable: " + failure.getMessage(), null, null, true));
        }
    }

    /**
     * An upload job's steps: upload the file (continuing its session), then for upload-reply fetch the reply and
     * close the session. Each step is skipped when the store says it is done, so a crash between steps resumes at
     * the next one.
     */
    private void uploadSteps() {
        FileModel up = job.files.get(0);
        FileModel reply = job.reply();
        FileUpload upload = new FileUpload(host, this, up, reply != null, owner, options);
        if (!up.completed) {
            if (!guard(upload::abort)) {
                return;
            }
            FileUpload.Result r = upload.run();
            unguard();
            if (r.error() != null) {
                fail(r.error());
                return;
            }
            if (!r.complete()) {
                return;
            }
            if (reply != null) {
                reply.remoteUrl = r.replyUrl().toString();
                host.fileChanged(reply, false);
                host.fileChanged(up, true);
            }
        }
        if (reply == null || stopRequested) {
            return;
        }
        if (!reply.completed) {
            FileDownload d = new FileDownload(host, this, reply, owner, options);
            if (!guard(d::abort)) {
                return;
            }
            JobError error = d.run();
            unguard();
            try {
                awaitSynced();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (error != null && !stopRequested) {
                fail(error);
                return;
            }
            if (!reply.completed) {
                return;
            }
        }
        closeSession(upload);
    }

    private void closeSession(FileUpload upload) {
        FileModel up = job.files.get(0);
        UploadTransport t = host.uploadTransportFor(URI.create(up.remoteUrl));
        try {
            if (t != null) {
                t.closeSession(upload.request());
            }
        } catch (IOException | TransferFailure e) {
            // the reply is here; a session the server cannot close expires there on its own
            LOG.log(System.Logger.Level.INFO, "job " + job.id + ": closing the upload session: " + e.getMessage());
        }
    }

    private boolean guard(Runnable abort) {
        synchronized (aborts) {
            if (stopRequested) {
                return false;
            }
            aborts.put(abort, -1);
            return true;
        }
    }

    private void unguard() {
        synchronized (aborts) {
            aborts.clear();
        }
    }

    private void work() {
        FileModel f;
        while (!stopRequested && (f = queue.poll()) != null) {
            if (f.index > failIndex) {
                continue; // an earlier file failed: as in BITS, later files wait until it is fixed
            }
            FileDownload d = new FileDownload(host, this, f, owner, options);
            Runnable abort = d::abort;
            synchronized (aborts) {
                if (stopRequested) {
                    return;
                }
                aborts.put(abort, f.index);
            }
            try {
                JobError error = d.run();
                if (error != null && !stopRequested) {
                    fail(error);
                }
            } finally {
                synchronized (aborts) {
                    aborts.remove(abort);
                }
            }
        }
    }

    /**
     * Records a failure. BITS moves files one by one, so when file i fails every file before it is already
     * done: here the files before i are let finish, and only the files after i are stopped (their progress is
     * checkpointed). A failure that names no file stops everything.
     */
    private void fail(JobError error) {
        int index = error.fileIndex() == null ? -1 : error.fileIndex();
        synchronized (this) {
            if (firstFailure == null || index < failIndex) {
                firstFailure = error;
            }
            failIndex = Math.min(failIndex, index);
        }
        abortAfter(failIndex);
    }

    private void abortAfter(int index) {
        synchronized (aborts) {
            for (Map.Entry<Runnable, Integer> e : aborts.entrySet()) {
                if (e.getValue() > index || index < 0) {
                    e.getKey().run();
                }
            }
        }
    }
}
