package io.jbits.core;

import io.jbits.api.JbitsException;
import io.jbits.api.JobChanges;
import io.jbits.api.JobInfo;
import io.jbits.api.NewJob;
import io.jbits.api.TransferManager;
import java.io.IOException;
import java.util.List;

/** The transfer engine: jobs, scheduler and transfers in this process. (Being written: every call fails for now.) */
public final class Engine implements TransferManager {
    private Engine() {
    }

    /** Loads the stored jobs, re-queues the ones that were active, and starts scheduling. */
    public static Engine start(EngineConfig config) throws IOException {
        throw new IOException("engine not written yet");
    }

    private static JbitsException todo() {
        return new JbitsException(io.jbits.api.BitsCodes.E_NOTIMPL, "engine not written yet");
    }

    @Override public JobInfo create(NewJob job) { throw todo(); }
    @Override public JobInfo addFile(String jobId, String remoteUrl, String localPath) { throw todo(); }
    @Override public JobInfo job(String jobId) { throw todo(); }
    @Override public List<JobInfo> jobs(boolean includeFinal) { throw todo(); }
    @Override public JobInfo resume(String jobId) { throw todo(); }
    @Override public JobInfo suspend(String jobId) { throw todo(); }
    @Override public JobInfo cancel(String jobId) { throw todo(); }
    @Override public JobInfo complete(String jobId) { throw todo(); }
    @Override public JobInfo change(String jobId, JobChanges changes) { throw todo(); }
    @Override public JobInfo setRemoteUrl(String jobId, int fileIndex, String remoteUrl) { throw todo(); }
    @Override public void close() { }
}
