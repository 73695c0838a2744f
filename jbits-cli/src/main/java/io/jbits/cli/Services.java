package io.jbits.cli;

import io.jbits.api.JobInfo;
import io.jbits.api.TransferManager;
import io.jbits.rest.Json;
import io.jbits.rest.ServiceStatus;
import io.jbits.store.sqlite.StoreRecovery;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.Consumer;

/** The user's jbits service as the commands need it; behind an interface so parsing is tested without one. */
interface Services extends AutoCloseable {

    /** The jobs of the running service, starting the service first when none answers. */
    TransferManager jobs() throws IOException;

    /**
     * {@link #jobs()}, except that the jobs its calls answer come without their files, with only their counts: for a
     * command that keeps its job's file list itself. The default is {@link #jobs()}.
     */
    default TransferManager jobsWithoutFiles() throws IOException {
        return jobs();
    }

    /**
     * Writes the user's jobs (without their file lists) as a JSON array, one job per line, as the service sends
     * them. The default lists {@link #jobs()}; the real service's answer is copied as it streams in.
     */
    default void writeJobList(boolean includeFinal, OutputStream out) throws IOException {
        Json.writeJobList(jobs().jobSummaries(includeFinal), out);
        out.flush();
    }

    /** Hands each of the user's jobs (without their file lists) to an action, oldest first, as they come. */
    default void forEachJob(boolean includeFinal, Consumer<JobInfo> action) throws IOException {
        jobs().jobSummaries(includeFinal).forEach(action);
    }

    /** The service's bandwidth policy and the limits in force now (starting the service when none answers). */
    Json.Policy policy() throws IOException;

    /** Changes the service's bandwidth policy; refused values change nothing. */
    Json.Policy setPolicy(Json.PolicyChange change) throws IOException;

    /** Starts the service's web dashboard unless it runs (null port: any free one); its address and token. */
    Json.Dashboard dashboard(Integer port) throws IOException;

    /** The running service's status, or empty when none answers (nothing is started). */
    Optional<ServiceStatus> status() throws IOException;

    /** Starts the service unless it runs already; returns its status. */
    ServiceStatus start() throws IOException;

    /** Stops the running service and waits until it has exited; false when none was running. */
    boolean stop() throws IOException;

    /**
     * Recovers the state database of a stopped service ({@link io.jbits.store.sqlite.SqliteJobStore#recover}): a
     * damaged one is moved aside, kept, and replaced by one with every job still readable; a healthy one is left.
     */
    StoreRecovery recover() throws IOException;

    /**
     * Makes the later calls go to another user's running service ({@code jbits --user NAME}, for root), which is
     * never started on that user's behalf.
     */
    default void actFor(String user) {
        throw new UnsupportedOperationException("--user is not available here");
    }

    @Override
    void close();
}
