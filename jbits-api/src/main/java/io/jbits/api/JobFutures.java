package io.jbits.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The futures of {@link TransferManager#whenTransferred}: a listener that completes one and goes away. */
final class JobFutures {
    /** Progress does not matter here: state changes are never coalesced. */
    private static final Duration NO_PROGRESS = Duration.ofDays(1);

    private JobFutures() {
    }

    static CompletableFuture<JobInfo> transferred(TransferManager jobs, String jobId) {
        CompletableFuture<JobInfo> future = new CompletableFuture<>();
        String id = jobs.job(jobId).id();
        Subscription sub = jobs.addListener(id, NO_PROGRESS, JobListener.of(e -> settle(jobs, future, e.state(), id)));
        future.whenComplete((j, failure) -> sub.close());
        settle(jobs, future, jobs.job(id).state(), id); // it may have ended before the listener was there
        return future;
    }

    private static void settle(TransferManager jobs, CompletableFuture<JobInfo> future, JobState state, String id) {
        if (future.isDone()) {
            return;
        }
        switch (state) {
            case TRANSFERRED, ACKNOWLEDGED -> future.complete(jobs.job(id));
            case ERROR -> {
                JobInfo job = jobs.job(id);
                if (job.state() != JobState.ERROR) {
                    return; // resumed meanwhile: a later event decides
                }
                JobError e = job.error();
                future.completeExceptionally(e == null
                        ? new JbitsException(BitsCodes.E_FAIL, "job " + id + " failed")
                        : new JbitsException(e.code(), "job " + id + " failed: " + e.message()));
            }
            case CANCELLED -> future.completeExceptionally(
                    JbitsException.invalidState("job " + id + " was cancelled"));
            case QUEUED, CONNECTING, TRANSFERRING, SUSPENDED, TRANSIENT_ERROR -> {
                // not ended yet
            }
        }
    }
}
