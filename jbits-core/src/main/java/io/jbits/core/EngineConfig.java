package io.jbits.core;

import io.jbits.spi.BackgroundGovernor;
import io.jbits.spi.JobStore;
import io.jbits.spi.Ticker;
import io.jbits.spi.Transport;
import io.jbits.spi.UploadTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything an {@link Engine} needs: where jobs are stored, which transports move bytes, whose jobs these are,
 * and the scheduling knobs. Made with {@link #builder}, which documents each setting's default:
 * <pre>{@code
 * EngineConfig config = EngineConfig.builder(store, "alice")
 *         .transports(List.of(http, smb))
 *         .uploadTransports(List.of(uploads, smb))
 *         .maxBackgroundJobs(2)
 *         .build();
 * }</pre>
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
 * @param backgroundGovernor how fast background jobs may go now (scavenging)
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
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        Objects.requireNonNull(timeSlice, "timeSlice");
        Objects.requireNonNull(backgroundGovernor, "backgroundGovernor");
        if (maxBackgroundJobs < 1) {
            throw new IllegalArgumentException("maxBackgroundJobs < 1: " + maxBackgroundJobs);
        }
        if (filesInParallel < 1) {
            throw new IllegalArgumentException("filesInParallel < 1: " + filesInParallel);
        }
    }

    /** A builder for the jobs of {@code owner} kept in {@code store}; every other setting starts at its default. */
    public static Builder builder(JobStore store, String owner) {
        return new Builder(store, owner);
    }

    /** The defaults with these download transports: {@code builder(store, owner).transports(transports).build()}. */
    public static EngineConfig defaults(JobStore store, List<? extends Transport> transports, String owner) {
        return builder(store, owner).transports(transports).build();
    }

    /** Collects an {@link EngineConfig}'s settings; {@link #build} checks them. Not thread-safe. */
    public static final class Builder {
        private final JobStore store;
        private final String owner;
        private List<Transport> transports = List.of();
        private List<UploadTransport> uploadTransports = List.of();
        private Clock clock = Clock.systemUTC();
        private Ticker ticker = Ticker.system();
        private int maxBackgroundJobs = 1;
        private int filesInParallel = 8;
        private Duration checkpointInterval = Duration.ofSeconds(1);
        private Duration timeSlice = Duration.ofMinutes(5);
        private boolean trustUnsyncedBytes;
        private BackgroundGovernor backgroundGovernor = BackgroundGovernor.unlimited();

        private Builder(JobStore store, String owner) {
            this.store = Objects.requireNonNull(store, "store");
            this.owner = Objects.requireNonNull(owner, "owner");
        }

        /** The download transports, in order of preference. Default: none (every URL is refused). */
        public Builder transports(List<? extends Transport> list) {
            this.transports = List.copyOf(list);
            return this;
        }

        /** The upload transports, in order of preference. Default: none (upload jobs cannot be created). */
        public Builder uploadTransports(List<? extends UploadTransport> list) {
            this.uploadTransports = List.copyOf(list);
            return this;
        }

        /** The wall clock of job times. Default: {@link Clock#systemUTC()}. */
        public Builder clock(Clock wallClock) {
            this.clock = Objects.requireNonNull(wallClock, "clock");
            return this;
        }

        /** The monotonic time of retry delays, slices and timeouts. Default: {@link Ticker#system()}. */
        public Builder ticker(Ticker monotonic) {
            this.ticker = Objects.requireNonNull(monotonic, "ticker");
            return this;
        }

        /**
         * How many background jobs transfer at once; more queued ones wait, and a higher priority preempts a lower
         * one. FOREGROUND jobs always run. Default: 1, as in BITS.
         */
        public Builder maxBackgroundJobs(int n) {
            this.maxBackgroundJobs = n;
            return this;
        }

        /** How many files of one job move at once. Default: 8 (BITS moves one; many small files deserve more). */
        public Builder filesInParallel(int n) {
            this.filesInParallel = n;
            return this;
        }

        /**
         * How often the bytes written are fsynced and their offsets stored: a crash re-fetches at most this much
         * time's worth. Default: 1 s.
         */
        public Builder checkpointInterval(Duration interval) {
            this.checkpointInterval = interval;
            return this;
        }

        /**
         * How long a background job runs before an equal-priority job waiting behind it gets its turn. Default:
         * 5 minutes.
         */
        public Builder timeSlice(Duration slice) {
            this.timeSlice = slice;
            return this;
        }

        /**
         * Whether bytes written after the last checkpoint are kept at start-up (true only when the machine has not
         * rebooted since they were written, so they are still in the page cache). Default: false, only
         * checkpointed bytes are trusted.
         */
        public Builder trustUnsyncedBytes(boolean trust) {
            this.trustUnsyncedBytes = trust;
            return this;
        }

        /** How fast background jobs may go now (scavenging). Default: {@link BackgroundGovernor#unlimited()}. */
        public Builder backgroundGovernor(BackgroundGovernor governor) {
            this.backgroundGovernor = governor;
            return this;
        }

        /** The configuration; throws when a setting is out of range (fewer than one job or file at once). */
        public EngineConfig build() {
            return new EngineConfig(store, transports, owner, clock, ticker, maxBackgroundJobs, filesInParallel,
                    checkpointInterval, timeSlice, uploadTransports, trustUnsyncedBytes, backgroundGovernor);
        }
    }
}
