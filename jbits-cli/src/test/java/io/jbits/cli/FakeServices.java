package io.jbits.cli;

import io.jbits.api.FileInfo;
import io.jbits.api.JobChanges;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.NewJob;
import io.jbits.api.Priority;
import io.jbits.api.ProxyUsage;
import io.jbits.api.Redirects;
import io.jbits.api.TlsOptions;
import io.jbits.api.TransferManager;
import io.jbits.rest.Json;
import io.jbits.rest.ServiceStatus;
import io.jbits.store.sqlite.StoreRecovery;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Services for parse tests: records what the commands asked for and answers with one canned job. Jobs reach
 * TRANSFERRED as soon as they are resumed, so {@code transfer} runs through without a service.
 */
final class FakeServices implements Services {
    NewJob created;
    JobChanges changes;
    /** The credentials the commands set, as handed over (the secret included). */
    final List<String> credentials = new ArrayList<>();
    final List<String> calls = new ArrayList<>();
    final List<String[]> files = new ArrayList<>();
    IOException unreachable;
    RuntimeException refusal;
    private JobState state = JobState.SUSPENDED;
    /** Sets the canned job's state, as another program acting on the job would. */
    void state(JobState s) {
        state = s;
    }

    Json.Policy policy = new Json.Policy("off", "off", "off", "", "off", "", "/state/bandwidth.conf", null);

    private final TransferManager jobs = new TransferManager() {
        @Override
        public JobInfo create(NewJob job) {
            check("create");
            created = job;
            return snapshot();
        }

        @Override
        public JobInfo addFile(String jobId, String remoteUrl, String localPath) {
            check("add " + jobId);
            files.add(new String[] {remoteUrl, localPath});
            return snapshot();
        }

        @Override
        public JobInfo job(String jobId) {
            check("job " + jobId);
            return snapshot();
        }

        @Override
        public List<JobInfo> jobs(boolean includeFinal) {
            check("jobs " + includeFinal);
            return List.of(snapshot());
        }

        @Override
        public JobInfo resume(String jobId) {
            check("resume " + jobId);
            state = JobState.TRANSFERRED;
            return snapshot();
        }

        @Override
        public JobInfo suspend(String jobId) {
            check("suspend " + jobId);
            return snapshot();
        }

        @Override
        public JobInfo cancel(String jobId) {
            check("cancel " + jobId);
            return snapshot();
        }

        @Override
        public JobInfo complete(String jobId) {
            check("complete " + jobId);
            state = JobState.ACKNOWLEDGED;
            return snapshot();
        }

        @Override
        public JobInfo change(String jobId, JobChanges c) {
            check("change " + jobId);
            changes = c;
            return snapshot();
        }

        @Override
        public JobInfo setRemoteUrl(String jobId, int fileIndex, String remoteUrl) {
            check("set-remote " + jobId + " " + fileIndex + " " + remoteUrl);
            return snapshot();
        }

        @Override
        public JobInfo setReplyFile(String jobId, String localPath) {
            check("reply-file " + jobId + " " + localPath);
            return snapshot();
        }

        @Override
        public JobInfo setProxy(String jobId, ProxyUsage usage, List<String> proxies, List<String> bypass) {
            check("proxy " + jobId + " " + usage.label() + " " + proxies + " " + bypass);
            return snapshot();
        }

        @Override
        public JobInfo setHttpHeaders(String jobId, List<String> headers) {
            check("headers " + jobId + " " + headers);
            return snapshot();
        }

        @Override
        public JobInfo setRedirects(String jobId, Redirects policy, boolean allowHttpsToHttp) {
            check("redirects " + jobId + " " + policy.label() + " " + allowHttpsToHttp);
            return snapshot();
        }

        @Override
        public JobInfo setTls(String jobId, TlsOptions tls) {
            check("tls " + jobId + " " + tls);
            return snapshot();
        }

        @Override
        public byte[] replyData(String jobId) {
            check("reply " + jobId);
            return new byte[0];
        }

        @Override
        public io.jbits.api.Subscription addListener(String jobId, Duration interval,
                                                     io.jbits.api.JobListener listener) {
            check("listen " + jobId);
            JobInfo j = snapshot();
            List<io.jbits.api.JobEvent> owed = j.state() == JobState.TRANSFERRED
                    ? List.of(new io.jbits.api.JobEvent(io.jbits.api.JobEvent.Kind.TRANSFERRED, j.id(), 1, Instant.now(),
                            io.jbits.api.JobEvent.Change.STATE, j.state(), j.bytesTotal(), j.bytesTransferred(),
                            j.filesTotal(), j.filesTransferred(), null, -1, 0))
                    : List.of();
            return events.subscribe(null, interval, listener, owed);
        }

        @Override
        public JobInfo setNotifyCommand(String jobId, String commandLine,
                                        java.util.Set<io.jbits.api.JobEvent.Kind> on) {
            check("notify " + jobId + " " + commandLine + " " + new java.util.TreeSet<>(on));
            return snapshot();
        }

        @Override
        public JobInfo setMaxRate(String jobId, long bytesPerSecond) {
            check("max-rate " + jobId + " " + bytesPerSecond);
            return snapshot();
        }

        @Override
        public JobInfo setCredentials(String jobId, io.jbits.api.Credentials c) {
            check("credentials " + jobId + " " + c.target().label() + " " + c.scheme().label() + " " + c.user());
            credentials.add(c.target().label() + " " + c.scheme().label() + " " + c.user() + " "
                    + new String(c.secret()));
            return snapshot();
        }

        @Override
        public JobInfo removeCredentials(String jobId, io.jbits.api.AuthTarget target,
                                         io.jbits.api.AuthScheme scheme) {
            check("remove-credentials " + jobId + " " + target.label() + " " + scheme.label());
            return snapshot();
        }

        @Override
        public void close() {
        }
    };
    private final io.jbits.events.EventDelivery events = new io.jbits.events.EventDelivery("fake-services");

    private void check(String call) {
        calls.add(call);
        if (refusal != null) {
            throw refusal;
        }
    }

    JobInfo snapshot() {
        List<FileInfo> fs = new ArrayList<>();
        for (String[] f : files) {
            fs.add(new FileInfo(fs.size(), f[0], f[1], 10, state == JobState.SUSPENDED ? 0 : 10,
                    state != JobState.SUSPENDED));
        }
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        return new JobInfo("0123abcd-0000-4000-8000-000000000000", created == null ? "j" : created.name(), "",
                io.jbits.api.JobType.DOWNLOAD, state, created == null ? Priority.NORMAL : created.priority(), "me",
                10L * fs.size(), state == JobState.SUSPENDED ? 0 : 10L * fs.size(), fs.size(),
                state == JobState.SUSPENDED ? 0 : fs.size(), t, t, null, Duration.ofMinutes(10), Duration.ofDays(14),
                0, null, 0, fs);
    }

    @Override
    public TransferManager jobs() throws IOException {
        if (unreachable != null) {
            throw unreachable;
        }
        return jobs;
    }

    @Override
    public StoreRecovery recover() throws IOException {
        if (unreachable != null) {
            throw unreachable;
        }
        calls.add("recover");
        return new StoreRecovery(null, "healthy", 0, 0, 0);
    }

    @Override
    public Json.Dashboard dashboard(Integer port) throws IOException {
        check("dashboard " + port);
        int p = port == null ? 41234 : port;
        return new Json.Dashboard("http://127.0.0.1:" + p + "/", p, "ab".repeat(32));
    }

    @Override
    public Json.Policy policy() throws IOException {
        check("policy");
        return policy;
    }

    @Override
    public Json.Policy setPolicy(Json.PolicyChange change) throws IOException {
        check("set-policy " + change.limit() + " | " + change.backgroundLimit());
        policy = new Json.Policy(change.limit() != null ? change.limit() : policy.limit(),
                change.backgroundLimit() != null ? change.backgroundLimit() : policy.backgroundLimit(), "off", "",
                "off", "", "/state/bandwidth.conf", null);
        return policy;
    }

    @Override
    public Optional<ServiceStatus> status() {
        return Optional.empty();
    }

    @Override
    public ServiceStatus start() throws IOException {
        throw new IOException("not in parse tests");
    }

    @Override
    public boolean stop() {
        return false;
    }

    @Override
    public void close() {
        events.close();
    }
}
