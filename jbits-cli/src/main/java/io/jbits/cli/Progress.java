package io.jbits.cli;

import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import java.time.Duration;

/**
 * The progress line of {@code wait} and {@code transfer}: a bar, bytes done and total, percent, rate and ETA.
 *
 * <p>The rate is the service's own figure when it gives one, else the average of this waiter's recent samples:
 * the delta of bytes over the last few seconds, so a pause shows as a falling rate rather than a frozen one.
 */
final class Progress {
    private static final int BAR_WIDTH = 24;
    private static final long WINDOW_NANOS = 5_000_000_000L;

    private long windowStartNanos = -1;
    private long windowStartBytes;
    private long estimate;
    private long firstNanos = -1;
    private long firstBytes;

    /** Takes a sample and returns the rate to show, in bytes per second (at the end: the average of the wait). */
    long sample(JobInfo job, long nowNanos) {
        if (firstNanos < 0 || job.bytesTransferred() < firstBytes) {
            firstNanos = nowNanos;
            firstBytes = job.bytesTransferred();
        }
        if (job.state() == JobState.TRANSFERRED) {
            long elapsed = nowNanos - firstNanos;
            return elapsed <= 0 ? 0 : (job.bytesTransferred() - firstBytes) * 1_000_000_000L / elapsed;
        }
        if (windowStartNanos < 0 || job.bytesTransferred() < windowStartBytes) {
            windowStartNanos = nowNanos;
            windowStartBytes = job.bytesTransferred();
            estimate = 0;
        } else if (nowNanos - windowStartNanos >= 1_000_000_000L) {
            long elapsed = nowNanos - windowStartNanos;
            estimate = (job.bytesTransferred() - windowStartBytes) * 1_000_000_000L / elapsed;
            if (elapsed >= WINDOW_NANOS) {
                windowStartNanos = nowNanos;
                windowStartBytes = job.bytesTransferred();
            }
        }
        return job.bytesPerSecond() > 0 ? job.bytesPerSecond() : estimate;
    }

    /** {@code [#########...........]  45%  450.0 MiB / 1.0 GiB  12.3 MiB/s  ETA 0:42  TRANSFERRING}. */
    static String line(JobInfo job, long bytesPerSecond) {
        long done = job.bytesTransferred();
        long total = job.bytesTotal();
        StringBuilder b = new StringBuilder();
        if (total > 0) {
            int filled = (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
            b.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
            Units.right(b, Units.percent(done, total), 4).append("  ");
        }
        b.append(Units.bytes(done)).append(" / ").append(Units.bytes(total));
        b.append("  ").append(Units.rate(bytesPerSecond));
        if (total > 0 && bytesPerSecond > 0 && done < total) {
            b.append("  ETA ").append(Units.clock(Duration.ofSeconds((total - done) / bytesPerSecond)));
        }
        b.append("  ").append(job.state());
        if (job.filesTotal() > 1) {
            b.append("  files ").append(job.filesTransferred()).append('/').append(job.filesTotal());
        }
        return b.toString();
    }
}
