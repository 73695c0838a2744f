package io.jbits.core.internal;

import io.jbits.api.JobError;
import io.jbits.api.JobState;
import io.jbits.spi.Ticker;
import io.jbits.spi.Transport;
import io.jbits.spi.UploadTransport;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What running transfers report, turned into job states: a server answered, bytes moved, a file is written and
 * must become durable, the run ended (done, stopped or failed). Each report comes on the transfer's own thread.
 *
 * <p>Locking: {@link #progress} comes for every buffer and takes no lock (it touches only the fields
 * {@link JobModel} documents as safe without it); {@link #connected} and {@link #finished} decide under the
 * {@link JobTable#lock} and write the store after it. The progress pass ({@link #progressPass}) turns the bytes
 * reported since the last pass into one progress event per job.
 */
final class RunReports implements RunHost {
    private static final System.Logger LOG = System.getLogger(RunReports.class.getName());

    private final JobTable table;
    private final Transports transports;
    private final RateCaps caps;
    private final Syncer syncer;
    private final Checkpointer checkpointer;
    private final Clock clock;
    private final Ticker ticker;
    /** The files the syncer's current round made durable, in its order; touched only on the syncer's thread. */
    private final List<Durable> round = new ArrayList<>();

    /** A file the syncer's current round made durable, and the run that wrote it. */
    private record Durable(JobRun run, FileModel file) {
    }

    RunReports(JobTable table, Transports transports, RateCaps caps, Syncer syncer, Checkpointer checkpointer,
               Clock clock, Ticker ticker) {
        this.table = table;
        this.transports = transports;
        this.caps = caps;
        this.syncer = syncer;
        this.checkpointer = checkpointer;
        this.clock = clock;
        this.ticker = ticker;
        syncer.afterEachRound(this::roundEnded);
    }

    @Override
    public Transport transportFor(URI remote) {
        return transports.download(remote);
    }

    @Override
    public UploadTransport uploadTransportFor(URI remote) {
        return transports.upload(remote);
    }

    @Override
    public void connected(JobRun run) {
        synchronized (table.lock) {
            JobModel job = run.job;
            if (job.run == run && job.state == JobState.CONNECTING) {
                table.move(job, JobEvent.CONNECTED);
                table.persister.job(job);
            }
        }
    }

    @Override
    public void progress(JobRun run, long bytes, boolean newBytes) {
        JobModel job = run.job;
        job.progressDirty = true;
        RateMeter meter = job.rate;
        if (meter != null) {
            meter.add(bytes);
        }
        RetryTimer timer = job.retryTimer;
        if (newBytes && timer != null) {
            timer.onProgress(); // a job without a timer has no clock running
        }
    }

    @Override
    public void fileChanged(FileModel file, boolean now) {
        table.persister.file(file);
        if (now) {
            table.flush();
        }
    }

    @Override
    public void written(JobRun run, FileModel file) {
        run.syncing();
        syncer.submit(file, (f, failure) -> {
            if (failure == null) {
                synchronized (f) {
                    f.bytesTotal = f.written;
                    f.durable = f.written;
                    f.completed = true;
                }
                table.persister.file(f);
                round.add(new Durable(run, f)); // reported with the rest of the round (roundEnded)
            } else {
                LOG.log(System.Logger.Level.WARNING, "cannot make " + f.tempPath() + " durable: "
                        + failure.getMessage());
                run.synced(failure);
            }
        });
    }

    /**
     * The end of a round of the syncer: a FILE_TRANSFERRED event for each of its downloaded files, the counts of
     * each job taken once for all of its files in the round, then each run told its file is durable (which may
     * end the run, so a job's TRANSFERRED comes after the events of its files).
     */
    private void roundEnded() {
        if (round.isEmpty()) {
            return;
        }
        Map<JobModel, List<Integer>> byJob = new LinkedHashMap<>();
        synchronized (table.lock) {
            for (Durable d : round) {
                JobModel job = d.run().job;
                if (belongs(job, d.file()) && d.file().kind == FileModel.Kind.DOWNLOAD) {
                    byJob.computeIfAbsent(job, j -> new ArrayList<>()).add(d.file().index);
                }
            }
            byJob.forEach(table.events::filesTransferred);
        }
        for (Durable d : round) {
            d.run().synced(null);
        }
        round.clear();
    }

    @Override
    public void awaitingDurable(JobRun run) {
        syncer.hurry();
    }

    /**
     * True when the file is still one of the job's: its index finds it at once; a search of the list (thousands of
     * files, once per file) only when it does not.
     */
    private static boolean belongs(JobModel job, FileModel f) {
        List<FileModel> files = job.files;
        return f.index >= 0 && f.index < files.size() && files.get(f.index) == f || files.contains(f);
    }

    @Override
    public void writing(FileModel file, boolean active) {
        checkpointer.writing(file, active);
    }

    @Override
    public void backlog(FileModel file) {
        checkpointer.soon();
    }

    @Override
    public void finished(JobRun run, Outcome outcome) {
        List<FileModel> orphans = List.of();
        synchronized (table.lock) {
            JobModel job = run.job;
            boolean current = job.run == run;
            if (current) {
                job.run = null;
                table.runEnded();
                caps.runEnded(job);
            }
            if (current && job.state.isRunning() && !table.shuttingDown()) {
                switch (outcome) {
                    case AllDone a -> {
                        if (job.allFilesDone()) {
                            table.move(job, JobEvent.ALL_TRANSFERRED);
                            job.transferCompleted = clock.instant();
                            job.error = null;
                        } else {
                            table.move(job, JobEvent.PREEMPTED); // files were added during the run
                        }
                    }
                    case Stopped s -> {
                        // stopped without a new state: only a shutdown does that, and it keeps the state
                    }
                    case Failed f -> fail(job, f.error());
                }
            }
            if (job.state == JobState.CANCELLED) {
                orphans = List.copyOf(job.files); // the run outlived cancel's wait: its files go now
            }
            table.touch(job);
            table.persister.jobAndFiles(job);
            table.kick();
        }
        LocalFiles.deleteTemps(orphans);
        table.flush();
    }

    /** A run failed: a transient error waits for its retry (unless the no-progress timeout ran out). */
    private void fail(JobModel job, JobError error) {
        job.errorCount++;
        long now = ticker.nanos();
        boolean retry = error.transientError()
                && job.retryTimer().onTransientError(now, job.minRetryDelay, job.noProgressTimeout);
        if (retry) {
            job.error = error;
            table.move(job, JobEvent.TRANSIENT_FAILURE);
        } else {
            job.error = error.asFatal();
            table.move(job, JobEvent.FATAL_FAILURE);
        }
        LOG.log(System.Logger.Level.INFO, "job " + job.id + " -> " + job.state + ": " + error.message());
    }

    /** Turns the bytes moved since the last pass into one progress event per job. */
    void progressPass() {
        boolean reserved;
        synchronized (table.lock) {
            for (JobModel job : table.inPlay()) {
                if (job.progressDirty) {
                    job.progressDirty = false;
                    if (job.state.isRunning()) { // the state event that ended the run carries the last figures
                        table.events.progress(job);
                    }
                }
            }
            reserved = table.events.takeReserved();
        }
        if (reserved) {
            table.flush();
        }
    }
}
