package io.jbits.core.internal;

import io.jbits.api.Priority;
import io.jbits.spi.Bandwidth;
import io.jbits.spi.JobOptions;
import io.jbits.spi.RateSettings;
import io.jbits.spi.Ticker;

/**
 * Keeps each running job's pacer in line with the job: FOREGROUND jobs skip the background limits, and a job's
 * own cap ({@link RateSettings#maxBytesPerSecond}) caps it alone. Owns the {@link Pacing} every
 * transfer shares.
 *
 * <p>A job holds a pacer and a rate meter only while a run of it is alive: {@link #runStarts} makes them,
 * {@link #runEnded} drops them, so the 100,000 idle jobs of a large queue carry neither. Every method runs under
 * the {@link JobTable#lock}; the pacer applies a new cap or priority to reads already waiting, on their threads.
 */
final class RateCaps {
    private final Pacing pacing;
    private final Ticker ticker;

    RateCaps(Pacing pacing, Ticker ticker) {
        this.pacing = pacing;
        this.ticker = ticker;
    }

    /** The bandwidth limits every transfer shares. */
    Pacing pacing() {
        return pacing;
    }

    /** A run of the job is about to start: it gets its pacer, up to date, and a fresh rate meter. */
    void runStarts(JobModel job) {
        job.pacer = pacing.newJob();
        job.rate = new RateMeter(ticker);
        apply(job);
    }

    /** The job's run ended: what only a running job needs goes. */
    void runEnded(JobModel job) {
        job.pacer = null;
        job.rate = null;
    }

    /**
     * The job's priority or options changed: its pacer follows at once. A job without a run has no pacer and gets
     * one, up to date, when its next run starts.
     */
    void apply(JobModel job) {
        JobPacer pacer = job.pacer;
        if (pacer == null) {
            return;
        }
        pacer.foreground(job.priority == Priority.FOREGROUND);
        long cap = Shared.isEmptyObject(job.options) ? -1
                : RateSettings.from(JobOptions.parse(job.options)).maxBytesPerSecond();
        pacer.cap(cap >= Bandwidth.MIN_BYTES_PER_SECOND ? Bandwidth.of(cap) : Bandwidth.UNLIMITED);
    }
}
