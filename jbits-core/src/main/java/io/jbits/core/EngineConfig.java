package io.jbits.core;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything an {@link Engine} needs: where jobs are stored, which transports move bytes, whose jobs these are,
 * and the scheduling knobs.
 *
 * @param store the durable job store
 * @param transports transports in order of preference; the first that {@link Transport#handles} a URL gets it
 * @param owner the user who owns every job of this engine
 * @param clock wall clock for job times; scheduling uses {@link #ticker}
 * @param ticker monotonic time for retry delays, slices and timeouts (injected so tests use a fake)
 * @param maxBackgroundJobs how many background jobs may transfer at once (BITS: one)
 * @param filesInParallel how many files of one job move at once (BITS: one; many small files deserve more)
 * @param checkpointInterval how often progress is made durable while bytes move
 * @param timeSlice how long a background job runs before an equal-priority job gets its turn
 * @param uploadTransports transports that upload (the BITS upload protocol, SMB), in order of preference
 * @param trustUnsyncedBytes true when the machine has not rebooted since the last run wrote its temporary files:
 *     bytes written after the last checkpoint are then still in the page cache and are kept (a killed service
 *     re-fetches nothing); false after a reboot, when only checkpointed bytes are trusted
 * @param backgroundGovernor how fast background jobs may go now (scavenging); {@link BackgroundGovernor#unlimited}
 *     by default
 */
public record EngineConfig(JobStore store, List<Transport> transports, String owner, Clock clock, Ticker ticker,
                           int maxBackgroundJobs, int filesInParallel, Duration checkpointInterval,
                           Duration timeSlice, List<UploadTransport> uploadTransports, boolean trustUnsyncedBytes,
                           BackgroundGovernor backgroundGovernor) {
    public EngineConfig {
        Objects.requireNonNull(store, "store");
        transports = List.copyOf(transports);
        uploadTransports = List.copyOf(uploadTransports);
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(backgroundGovernor, "backgroundGovernor");
        if (maxBackgroundJobs < 1) {
            throw new IllegalArgumentException("maxBackgroundJobs < 1: " + maxBackgroundJobs);
        }
        if (filesInParallel < 1) {
            throw new IllegalArgumentException("filesInParallel < 1: " + filesInParallel);
        }
    }

    /** The defaults: one background job at a time, eight files at once, checkpoints each second, 5-minute slices. */
    public static EngineConfig defaults(JobStore store, List<Transport> transports, String owner) {
        return new EngineConfig(store, transports, owner, Clock.systemUTC(), Ticker.system(), 1, 8,
                Duration.ofSeconds(1), Duration.ofMinutes(5), List.of(), false, BackgroundGovernor.unlimited());
    }

    public EngineConfig withMaxBackgroundJobs(int n) {
        return new EngineConfig(store, transports, owner, clock, ticker, n, filesInParallel, checkpointInterval,
                timeSlice, uploadTransports, trustUnsyncedBytes, backgroundGovernor);
    }

    public EngineConfig withFilesInParallel(int n) {
        return new EngineConfig(store, transports, owner, clock, ticker, maxBackgroundJobs, n, checkpointInterval,
                timeSlice, uploadTransports, trustUnsyncedBytes, backgroundGovernor);
    }

    public EngineConfig withTimeSlice(Duration d) {
        return new EngineConfig(store, transports, owner, clock, ticker, maxBackgroundJobs, filesInParallel,
                checkpointInterval, d, uploadTransports, trustUnsyncedBytes, backgroundGovernor);
    }

    public EngineConfig withTime(Clock c, Ticker t) {
        return new EngineConfig(store, transports, owner, c, t, maxBackgroundJobs, filesInParallel,
                checkpointInterval, timeSlice, uploadTransports, trustUnsyncedBytes, backgroundGovernor);
    }

    public EngineConfig withCheckpointInterval(Duration d) {
        return new EngineConfig(store, transports, owner, clock, ticker, maxBackgroundJobs, filesInParallel, d,
                timeSlice, uploadTransports, trustUnsyncedBytes, backgroundGovernor);
    }

    public EngineConfig withUploadTransports(List<UploadTransport> uploads) {
        return new EngineConfig(store, transports, owner, clock, ticker, maxBackgroundJobs, filesInParallel,
                checkpointInterval, timeSlice, uploads, trustUnsyncedBytes, backgroundGovernor);
    }

    public EngineConfig withTrustUnsyncedBytes(boolean trust) {
        return new EngineConfig(store, transports, owner, clock, ticker, maxBackgroundJobs, filesInParallel,
                checkpointInterval, timeSlice, uploadTransports, trust, backgroundGovernor);
    }

    public EngineConfig withBackgroundGovernor(BackgroundGovernor g) {
        return new EngineConfig(store, transports, owner, clock, ticker, maxBackgroundJobs, filesInParallel,
                checkpointInterval, timeSlice, uploadTransports, trustUnsyncedBytes, g);
    }
}
