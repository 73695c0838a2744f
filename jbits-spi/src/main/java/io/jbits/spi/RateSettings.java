package io.jbits.spi;


/**
 * A job's own rate limit and the receive buffer the engine sizes from it, as the options {@code rate.*} hold them.
 *
 * @param maxBytesPerSecond the job's own cap in bytes per second (BITS's per-job maximum), negative for none
 * @param receiveBufferBytes the socket receive buffer the engine asks a transport for on one request, 0 for the
 *     system's default; a request option, never stored with the job
 */
public record RateSettings(long maxBytesPerSecond, long receiveBufferBytes) {
    /** {@code rate.max}: the job's own cap in bytes per second, an integer; absent means no cap of its own. */
    public static final OptionKey<Long> MAX = OptionKey.number("rate.max", -1);
    /**
     * {@code rate.receive-buffer}: the receive buffer in bytes the engine asks for on one request, an integer; absent
     * or 0 means the system's default. The engine adds it to a request's options; it is never stored.
     */
    public static final OptionKey<Long> RECEIVE_BUFFER = OptionKey.number("rate.receive-buffer", 0);

    /** No cap and the default buffer. */
    public static final RateSettings NONE = new RateSettings(-1, 0);

    public RateSettings {
        maxBytesPerSecond = Math.max(-1, maxBytesPerSecond);
    }

    /** The rate settings of a job's options. */
    public static RateSettings from(JobOptions options) {
        return new RateSettings(options.get(MAX), options.get(RECEIVE_BUFFER));
    }

    /** These options with this cap and receive buffer in them (each removed when it is the default). */
    public JobOptions writeTo(JobOptions options) {
        return options.with(MAX, maxBytesPerSecond < 0 ? null : maxBytesPerSecond)
                .with(RECEIVE_BUFFER, receiveBufferBytes <= 0 ? null : receiveBufferBytes);
    }

    /** True when the job has a cap of its own. */
    public boolean isCapped() {
        return maxBytesPerSecond >= 0;
    }

    /** The job's cap; {@link Bandwidth#UNLIMITED} when it has none. */
    public Bandwidth max() {
        return Bandwidth.of(maxBytesPerSecond);
    }

    /** These settings with {@code cap} as the job's own cap. */
    public RateSettings withMax(Bandwidth cap) {
        return new RateSettings(cap.isLimited() ? cap.bytesPerSecond() : -1, receiveBufferBytes);
    }

    /**
     * A request's options: the job's {@code options} with the receive buffer the engine chose for this request, kept
     * as given even when 0 (a transport treats 0 as the default).
     */
    public static JobOptions withReceiveBuffer(JobOptions options, long bytes) {
        return options.with(RECEIVE_BUFFER, bytes);
    }
}
