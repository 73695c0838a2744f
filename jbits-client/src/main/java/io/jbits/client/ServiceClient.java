package io.jbits.client;

import io.jbits.api.AuthScheme;
import io.jbits.api.AuthTarget;
import io.jbits.api.Credentials;
import io.jbits.api.JbitsException;
import io.jbits.api.JobChanges;
import io.jbits.api.JobEvent;
import io.jbits.api.JobInfo;
import io.jbits.api.JobListener;
import io.jbits.api.NewFile;
import io.jbits.api.NewJob;
import io.jbits.api.NewUpload;
import io.jbits.api.ProxyUsage;
import io.jbits.api.Redirects;
import io.jbits.api.Subscription;
import io.jbits.api.TlsOptions;
import io.jbits.api.TransferManager;
import io.jbits.rest.ApiParameters;
import io.jbits.rest.Json;
import io.jbits.rest.Route;
import io.jbits.rest.ServicePaths;
import io.jbits.rest.ServiceStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@link TransferManager} of the user's running service: each call is one REST request over its Unix socket.
 *
 * <p>Refusals come back as the {@link JbitsException} the service threw, with the same BITS code. A service that
 * stops answering makes calls throw {@link UncheckedIOException}.
 */
public final class ServiceClient implements TransferManager {
    /** A job's answer: read without the mapper's data binding in the common case ({@link JobJson}). */
    private static final ServiceHttp.Answer<JobInfo> JOB = JobJson::job;
    /**
     * A list of jobs (the batch calls), read as {@link #JOB} reads one: the mapper's data binding cost a
     * {@code transfer --upload} of 200 files more CPU than the rest of the command.
     */
    private static final ServiceHttp.Answer<List<JobInfo>> JOBS = content -> {
        List<JobInfo> jobs = new java.util.ArrayList<>();
        JobJson.jobList(new java.io.ByteArrayInputStream(content), jobs::add);
        return jobs;
    };
    private final ServiceHttp http;
    /** The listeners' streams, closed with the client. */
    private final java.util.Set<EventStream> streams;
    /** Whether the jobs this client answers carry their files ({@link #withoutFiles}). */
    private final boolean files;

    private ServiceClient(ServiceHttp http) {
        this(http, java.util.concurrent.ConcurrentHashMap.newKeySet(), true);
    }

    private ServiceClient(ServiceHttp http, java.util.Set<EventStream> streams, boolean files) {
        this.http = http;
        this.streams = streams;
        this.files = files;
    }

    /**
     * This client on the same connection, except that every job it answers comes without its files, with only
     * their counts ({@code files=false}): for a caller that made a job of thousands of files and keeps their list
     * itself, so the service does not write them, nor this JVM read them, once per call. Closing either closes both.
     */
    public ServiceClient withoutFiles() {
        return files ? new ServiceClient(http, streams, false) : this;
    }

    /**
     * Connects to the service listening on a socket and checks that it answers.
     *
     * @throws IOException "jbits service is not running (…)" when there is no socket or nothing answers on it
     */
    public static ServiceClient connect(Path socket) throws IOException {
        if (!Files.exists(socket)) {
            throw new IOException("jbits service is not running (no socket at " + socket + ")");
        }
        ServiceClient client = open(socket);
        try {
            client.checkAnswers();
            return client;
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * A client of the service of {@code paths} that starts it when its first request finds nothing listening
     * ({@link ServiceLauncher#start}), and otherwise asks nothing before that request. A client that knows no service
     * runs (no socket) starts one with {@link ServiceLauncher#start} directly.
     */
    public static ServiceClient startingOnDemand(ServicePaths paths) {
        return new ServiceClient(ServiceHttp.startingOnDemand(paths.socket(), () -> ServiceLauncher.start(paths)
                .close()));
    }

    /** A client of the socket that has not talked to the service yet (the launcher makes it while one starts). */
    static ServiceClient open(Path socket) throws IOException {
        return new ServiceClient(ServiceHttp.start(socket));
    }

    /**
     * Asks for the service's status and checks that it came, without reading it (a command that only copies the
     * service's bytes, as {@code jbits list --json} does, never builds a JSON reader); "jbits service is not running
     * (…)" when nothing answers on the socket.
     */
    void checkAnswers() throws IOException {
        try {
            call(Route.SERVICE_STATUS, null, null);
        } catch (UncheckedIOException e) {
            throw new IOException("jbits service is not running (no answer on " + http.socket() + ": "
                    + e.getCause().getMessage() + ")", e.getCause());
        }
    }

    /** The socket this client talks to. */
    public Path socket() {
        return http.socket();
    }

    /** The running service's version, pid, owner, state directory and job count. */
    public ServiceStatus status() {
        return call(Route.SERVICE_STATUS, null, JobJson::status);
    }

    /** Asks the service to checkpoint every job and exit; returns once it has accepted. */
    public void stopService() {
        call(Route.SERVICE_STOP, null, null);
    }

    @Override
    public JobInfo create(NewJob job) {
        var body = new Json.CreateJob(job.name(), job.type().label(), job.priority().label(), job.description());
        return call(Route.JOB_CREATE, RequestJson.createJob(body), JOB);
    }

    @Override
    public JobInfo startDownload(NewJob job, List<NewFile> files) {
        return call(Route.DOWNLOAD_START, RequestJson.newDownload(new Json.NewDownload(job.name(),
                job.priority().label(), job.description(), bodies(files))), JOB);
    }

    @Override
    public List<JobInfo> startUploads(List<NewUpload> uploads) {
        List<Json.NewUpload> body = uploads.stream().map(u -> new Json.NewUpload(u.job().name(),
                u.job().type().label(), u.job().priority().label(), u.job().description(), u.file().remoteUrl(),
                u.file().localPath())).toList();
        return call(Route.UPLOADS_START, RequestJson.uploadBatch(new Json.UploadBatch(body)), JOBS);
    }

    @Override
    public JobInfo addFile(String jobId, String remoteUrl, String localPath) {
        return call(Route.JOB_ADD_FILE, RequestJson.addFile(new Json.AddFile(remoteUrl, localPath)), JOB, jobId);
    }

    @Override
    public JobInfo job(String jobId) {
        return call(Route.JOB_SHOW, null, JOB, jobId);
    }

    @Override
    public List<JobInfo> jobs(boolean includeFinal) {
        List<JobInfo> jobs = new ArrayList<>();
        forEachJob(includeFinal, true, jobs::add);
        return jobs;
    }

    @Override
    public List<JobInfo> jobSummaries(boolean includeFinal) {
        List<JobInfo> jobs = new ArrayList<>();
        forEachJob(includeFinal, false, jobs::add);
        return jobs;
    }

    /**
     * Reads {@code GET /v1/jobs} as it arrives and hands each job to an action, in the list's order: a queue of any
     * size in bounded memory (the action decides what it keeps).
     *
     * @param files whether each job comes with its file list (else only the counts)
     */
    public void forEachJob(boolean includeFinal, boolean files, Consumer<JobInfo> action) {
        String path = jobListPath(includeFinal, files);
        try (InputStream in = http.open(path)) {
            JobJson.jobList(in, action);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException(
                    "unreadable answer from the jbits service to GET " + path + ": " + e.getMessage(), e));
        }
    }

    /**
     * Copies the service's answer to {@code GET /v1/jobs} to a stream as it arrives, byte for byte: a JSON array
     * with one job per line ({@link Json#writeJobList}). Nothing is parsed, so a list of 100,000 jobs costs the
     * caller little more than the copy.
     *
     * @param files whether each job comes with its file list (else only the counts)
     * @throws IOException when writing to {@code out} fails
     */
    public void copyJobList(boolean includeFinal, boolean files, OutputStream out) throws IOException {
        String path = jobListPath(includeFinal, files);
        try (InputStream in = http.open(path)) {
            in.transferTo(out);
        }
        out.flush();
    }

    private static String jobListPath(boolean includeFinal, boolean files) {
        return Route.JOBS_LIST.path() + "?" + ApiParameters.ALL + "=" + includeFinal
                + (files ? "" : "&" + ApiParameters.FILES + "=false");
    }

    @Override
    public JobInfo resume(String jobId) {
        return action(Route.JOB_RESUME, jobId);
    }

    @Override
    public JobInfo suspend(String jobId) {
        return action(Route.JOB_SUSPEND, jobId);
    }

    @Override
    public JobInfo cancel(String jobId) {
        return action(Route.JOB_CANCEL, jobId);
    }

    @Override
    public JobInfo complete(String jobId) {
        return action(Route.JOB_COMPLETE, jobId);
    }

    @Override
    public List<JobInfo> completeAll(List<String> jobIds) {
        return call(Route.JOBS_COMPLETE, RequestJson.jobIds(new Json.JobIds(List.copyOf(jobIds))), JOBS);
    }

    @Override
    public JobInfo change(String jobId, JobChanges c) {
        var body = new Json.Change(c.name(), c.description(), c.priority(), c.minRetryDelay(),
                c.noProgressTimeout());
        return call(Route.JOB_CHANGE, RequestJson.change(body), JOB, jobId);
    }

    @Override
    public JobInfo setRemoteUrl(String jobId, int fileIndex, String remoteUrl) {
        return call(Route.FILE_REMOTE_URL, new Json.RemoteUrl(remoteUrl), JOB, jobId, fileIndex);
    }

    @Override
    public JobInfo addFiles(String jobId, List<NewFile> files) {
        return call(Route.JOB_ADD_FILES, RequestJson.fileSet(new Json.FileSet(bodies(files))), JOB, jobId);
    }

    private static List<Json.AddFile> bodies(List<NewFile> files) {
        return files.stream().map(f -> new Json.AddFile(f.remoteUrl(), f.localPath())).toList();
    }

    @Override
    public JobInfo setReplyFile(String jobId, String localPath) {
        return call(Route.JOB_REPLY_FILE, new Json.ReplyFile(localPath), JOB, jobId);
    }

    @Override
    public JobInfo setProxy(String jobId, ProxyUsage usage, List<String> proxies, List<String> bypass) {
        return call(Route.JOB_PROXY, new Json.Proxy(usage == null ? null : usage.label(), proxies, bypass),
                JOB, jobId);
    }

    @Override
    public JobInfo setHttpHeaders(String jobId, List<String> headers) {
        return call(Route.JOB_HEADERS, new Json.Headers(headers), JOB, jobId);
    }

    @Override
    public JobInfo setRedirects(String jobId, Redirects policy, boolean allowHttpsToHttp) {
        return call(Route.JOB_REDIRECTS, new Json.Redirects(policy == null ? null : policy.label(),
                allowHttpsToHttp), JOB, jobId);
    }

    @Override
    public JobInfo setTls(String jobId, TlsOptions tls) {
        return call(Route.JOB_TLS, tls, JOB, jobId);
    }

    @Override
    public byte[] replyData(String jobId) {
        Json.Reply reply = call(Route.JOB_REPLY, null, type(Json.Reply.class), jobId);
        return reply.data();
    }

    /**
     * Registers a listener fed by the service's event stream over a connection of its own, which reconnects by
     * itself (also to a restarted service) and resumes where it stopped.
     */
    @Override
    public Subscription addListener(String jobId, Duration minProgressInterval, JobListener listener) {
        // The service resolves the job itself (404 before the stream starts); the client's filter needs the full id
        String id = jobId == null || isFullId(jobId) ? jobId : job(jobId).id();
        EventStream stream = EventStream.open(http, id, minProgressInterval, listener);
        streams.add(stream);
        return () -> {
            streams.remove(stream);
            stream.close();
        };
    }

    /** A job id as the service makes them (a lower-case UUID), which needs no round trip to be resolved. */
    static boolean isFullId(String id) {
        if (id.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            boolean hyphen = i == 8 || i == 13 || i == 18 || i == 23;
            boolean ok = hyphen ? c == '-' : c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public JobInfo setNotifyCommand(String jobId, String commandLine, Set<JobEvent.Kind> on) {
        List<String> labels = on == null ? List.of() : on.stream().map(JobEvent.Kind::label).toList();
        return call(Route.JOB_NOTIFY, new Json.Notify(commandLine, labels), JOB, jobId);
    }

    @Override
    public JobInfo setMaxRate(String jobId, long bytesPerSecond) {
        return call(Route.JOB_MAX_RATE, new Json.MaxRate(bytesPerSecond), JOB, jobId);
    }

    /** The service's bandwidth policy and the limits in force now. */
    public Json.Policy policy() {
        return call(Route.POLICY_SHOW, null, type(Json.Policy.class));
    }

    /** Changes the bandwidth policy (null fields stay); running transfers follow within a second. */
    public Json.Policy setPolicy(Json.PolicyChange change) {
        return call(Route.POLICY_CHANGE, change, type(Json.Policy.class));
    }

    /** Starts the service's web dashboard unless it runs (on {@code port}, null for any free one); its address. */
    public Json.Dashboard dashboard(Integer port) {
        return call(Route.DASHBOARD, new Json.DashboardStart(port), type(Json.Dashboard.class));
    }

    @Override
    public JobInfo setCredentials(String jobId, Credentials c) {
        var body = new Json.SetCredentials(c.target().label(), c.scheme().label(), c.user(), c.secret());
        return call(Route.JOB_SET_CREDENTIALS, body, JOB, jobId);
    }

    @Override
    public JobInfo removeCredentials(String jobId, AuthTarget target, AuthScheme scheme) {
        return call(Route.JOB_REMOVE_CREDENTIALS, null, JOB, jobId, target.label(), scheme.label());
    }

    /** Disconnects; the service keeps running. */
    @Override
    public void close() {
        for (EventStream s : streams) {
            s.close();
        }
        streams.clear();
        http.stop();
    }

    private JobInfo action(Route route, String jobId) {
        return call(route, null, JOB, jobId);
    }

    /** An answer read by the shared mapper. */
    private static <T> ServiceHttp.Answer<T> type(Class<T> c) {
        return content -> Json.mapper().readValue(content, c);
    }

    /**
     * One request of a route, its path filled in with {@code values}; null {@code answer} reads no answer. A body
     * given as bytes is sent as it is (JSON written already), any other is written by the shared mapper.
     */
    private <T> T call(Route route, Object body, ServiceHttp.Answer<T> answer, Object... values) {
        String path = route.path(values);
        return http.call(route.method(), files ? path : path + "?" + ApiParameters.FILES + "=false", body, answer);
    }
}
