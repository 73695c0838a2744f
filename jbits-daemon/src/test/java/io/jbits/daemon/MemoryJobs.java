package io.jbits.daemon;

import io.jbits.api.AuthScheme;
import io.jbits.api.AuthTarget;
import io.jbits.api.BitsCodes;
import io.jbits.api.Credentials;
import io.jbits.api.FileInfo;
import io.jbits.api.JbitsException;
import io.jbits.api.JobChanges;
import io.jbits.api.JobEvent;
import io.jbits.api.JobInfo;
import io.jbits.api.JobListener;
import io.jbits.api.JobState;
import io.jbits.api.NewJob;
import io.jbits.api.ProxyUsage;
import io.jbits.api.Redirects;
import io.jbits.api.Subscription;
import io.jbits.api.TlsOptions;
import io.jbits.api.TransferManager;
import io.jbits.events.EventDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** A small in-memory TransferManager for testing the REST layer; it moves no bytes. */
final class MemoryJobs implements TransferManager {
    private final Map<String, JobInfo> jobs = new LinkedHashMap<>();
    private final EventDelivery events = new EventDelivery("memory-jobs");
    private long seq;
    final Map<String, String> notifyCommands = new LinkedHashMap<>();

    /** Secrets by "jobId target scheme", as the engine would keep them (never in a JobInfo). */
    final Map<String, String> secrets = new LinkedHashMap<>();
    private final String owner;

    MemoryJobs(String owner) {
        this.owner = owner;
    }

    @Override
    public synchronized JobInfo create(NewJob n) {
        if (n.name().length() > 256) {
            throw JbitsException.invalidArgument("name longer than 256 characters");
        }
        Instant now = Instant.now();
        JobInfo job = new JobInfo(UUID.randomUUID().toString(), n.name(), n.description(), n.type(),
                JobState.SUSPENDED, n.priority(), owner, 0, 0, 0, 0, now, now, null, Duration.ofSeconds(600),
                Duration.ofDays(14), 0, null, 0, List.of());
        jobs.put(job.id(), job);
        return job;
    }

    @Override
    public synchronized JobInfo addFile(String jobId, String remoteUrl, String localPath) {
        return update(jobId, j -> {
            List<FileInfo> files = new ArrayList<>(j.files());
            files.add(new FileInfo(files.size(), remoteUrl, localPath, FileInfo.SIZE_UNKNOWN, 0, false));
            return with(j, j.state(), files);
        });
    }

    @Override
    public synchronized JobInfo job(String jobId) {
        return jobs.get(resolve(jobId));
    }

    @Override
    public synchronized List<JobInfo> jobs(boolean includeFinal) {
        return jobs.values().stream().filter(j -> includeFinal || !j.state().isFinal()).toList();
    }

    @Override
    public synchronized JobInfo resume(String jobId) {
        return update(jobId, j -> {
            if (j.files().isEmpty()) {
                throw new JbitsException(BitsCodes.BG_E_EMPTY, "job " + j.id() + " has no files");
            }
            return with(j, JobState.QUEUED, j.files());
        });
    }

    @Override
    public synchronized JobInfo suspend(String jobId) {
        return update(jobId, j -> with(j, JobState.SUSPENDED, j.files()));
    }

    @Override
    public synchronized JobInfo cancel(String jobId) {
        return update(jobId, j -> with(j, JobState.CANCELLED, j.files()));
    }

    @Override
    public synchronized JobInfo complete(String jobId) {
        return update(jobId, j -> with(j, JobState.ACKNOWLEDGED, j.files()));
    }

    @Override
    public synchronized JobInfo change(String jobId, JobChanges c) {
        return update(jobId, j -> new JobInfo(j.id(), c.name() != null ? c.name() : j.name(),
                c.description() != null ? c.description() : j.description(), j.type(), j.state(),
                c.priority() != null ? c.priority() : j.priority(), j.owner(), j.bytesTotal(), j.bytesTransferred(),
                j.filesTotal(), j.filesTransferred(), j.created(), Instant.now(), j.transferCompleted(),
                c.minRetryDelay() != null ? c.minRetryDelay() : j.minRetryDelay(),
                c.noProgressTimeout() != null ? c.noProgressTimeout() : j.noProgressTimeout(), j.errorCount(),
                j.error(), j.bytesPerSecond(), j.files()));
    }

    @Override
    public JobInfo setReplyFile(String jobId, String localPath) {
        throw JbitsException.invalidArgument("job " + jobId + " is not an upload-reply job");
    }

    @Override
    public byte[] replyData(String jobId) {
        throw JbitsException.invalidArgument("job " + jobId + " is not an upload-reply job");
    }

    @Override
    public synchronized JobInfo setRemoteUrl(String jobId, int fileIndex, String remoteUrl) {
        return update(jobId, j -> {
            if (fileIndex < 0 || fileIndex >= j.files().size()) {
                throw JbitsException.invalidArgument("no file " + fileIndex + " in job " + j.id());
            }
            List<FileInfo> files = new ArrayList<>(j.files());
            FileInfo f = files.get(fileIndex);
            files.set(fileIndex, new FileInfo(f.index(), remoteUrl, f.localPath(), f.bytesTotal(),
                    f.bytesTransferred(), f.completed()));
            return with(j, j.state(), files);
        });
    }

    @Override
    public Subscription addListener(String jobId, Duration interval, JobListener l) {
        return events.subscribe(jobId == null ? null : resolve(jobId), interval, l, List.of());
    }

    @Override
    public synchronized JobInfo setNotifyCommand(String jobId, String commandLine,
                                                 Set<JobEvent.Kind> on) {
        notifyCommands.put(resolve(jobId), commandLine + " on " + new TreeSet<>(on));
        return job(jobId);
    }

    @Override
    public synchronized JobInfo setMaxRate(String jobId, long bytesPerSecond) {
        if (bytesPerSecond >= 0 && bytesPerSecond < 1024) {
            throw JbitsException.invalidArgument("a rate limit must be at least 1k (1 KiB/s), not " + bytesPerSecond);
        }
        return update(jobId, j -> {
            Map<String, Object> options = new LinkedHashMap<>(j.options());
            if (bytesPerSecond < 0) {
                options.remove("rate.max");
            } else {
                options.put("rate.max", bytesPerSecond);
            }
            return new JobInfo(j.id(), j.name(), j.description(), j.type(), j.state(), j.priority(), j.owner(),
                    j.bytesTotal(), j.bytesTransferred(), j.filesTotal(), j.filesTransferred(), j.created(),
                    Instant.now(), j.transferCompleted(), j.minRetryDelay(), j.noProgressTimeout(), j.errorCount(),
                    j.error(), j.bytesPerSecond(), j.files(), j.replyFile(), j.replyBytesTotal(),
                    j.replyBytesTransferred(), options, j.heldBack());
        });
    }

    @Override
    public synchronized JobInfo setCredentials(String jobId, Credentials c) {
        c.check();
        JobInfo updated = update(jobId, j -> withOption(j, "cred." + c.target().label() + "." + c.scheme().label()
                + ".user", c.user()));
        secrets.put(updated.id() + " " + c.target().label() + " " + c.scheme().label(), new String(c.secret()));
        return updated;
    }

    @Override
    public synchronized JobInfo removeCredentials(String jobId, AuthTarget target, AuthScheme scheme) {
        JobInfo updated = update(jobId, j -> withOption(j, "cred." + target.label() + "." + scheme.label()
                + ".user", null));
        secrets.remove(updated.id() + " " + target.label() + " " + scheme.label());
        return updated;
    }

    @Override
    public synchronized JobInfo setProxy(String jobId, ProxyUsage usage, List<String> proxies, List<String> bypass) {
        return options(jobId, Map.<String, Object>of("proxy.usage", usage.label(), "proxy.list", String.join(",", proxies == null
                ? List.of() : proxies), "proxy.bypass", String.join(",", bypass == null ? List.of() : bypass)));
    }

    @Override
    public synchronized JobInfo setHttpHeaders(String jobId, List<String> headers) {
        return options(jobId, Map.<String, Object>of("http.headers", String.join("\r\n", headers)));
    }

    @Override
    public synchronized JobInfo setRedirects(String jobId, Redirects policy, boolean allowHttpsToHttp) {
        return options(jobId, Map.<String, Object>of("http.redirects", policy.label(), "http.redirects.https-to-http",
                allowHttpsToHttp));
    }

    @Override
    public synchronized JobInfo setTls(String jobId, TlsOptions tls) {
        return options(jobId, Map.<String, Object>of("tls.ca-file", String.valueOf(tls.caFile()), "tls.ignore",
                String.join(",", tls.ignoreCertErrors())));
    }

    /** Records options as the engine would show them. */
    private JobInfo options(String jobId, Map<String, Object> set) {
        return update(jobId, j -> {
            Map<String, Object> o = new LinkedHashMap<>(j.options());
            o.putAll(set);
            return new JobInfo(j.id(), j.name(), j.description(), j.type(), j.state(), j.priority(), j.owner(),
                    j.bytesTotal(), j.bytesTransferred(), j.filesTotal(), j.filesTransferred(), j.created(),
                    Instant.now(), j.transferCompleted(), j.minRetryDelay(), j.noProgressTimeout(), j.errorCount(),
                    j.error(), j.bytesPerSecond(), j.files(), j.replyFile(), j.replyBytesTotal(),
                    j.replyBytesTransferred(), o, j.heldBack());
        });
    }

    @Override
    public void close() {
        events.close();
    }

    /** Replaces a stored job as it is (tests use it to plant errors and progress). */
    synchronized void put(JobInfo job) {
        jobs.put(job.id(), job);
    }

    /** Publishes one FILE_TRANSFERRED event of a job, as the engine does when a file is durable. */
    synchronized void fileTransferred(String jobId, int index) {
        JobInfo j = jobs.get(resolve(jobId));
        events.publish(new JobEvent(JobEvent.Kind.FILE_TRANSFERRED, j.id(), ++seq,
                Instant.now(), JobEvent.Change.STATE, j.state(), j.bytesTotal(), j.bytesTransferred(),
                j.filesTotal(), j.filesTransferred(), null, index, 0));
    }

    private JobInfo update(String jobId, UnaryOperator<JobInfo> change) {
        String id = resolve(jobId);
        JobInfo j = jobs.get(id);
        if (j.state().isFinal()) {
            throw JbitsException.invalidState("job " + id + " is " + j.state());
        }
        JobInfo updated = change.apply(j);
        jobs.put(id, updated);
        JobEvent.Kind kind = switch (updated.state()) {
            case TRANSFERRED -> JobEvent.Kind.TRANSFERRED;
            case ERROR -> JobEvent.Kind.ERROR;
            default -> JobEvent.Kind.MODIFIED;
        };
        events.publish(new JobEvent(kind, id, ++seq, Instant.now(), JobEvent.Change.STATE,
                updated.state(), updated.bytesTotal(), updated.bytesTransferred(), updated.filesTotal(),
                updated.filesTransferred(), updated.error(), -1, 0));
        return updated;
    }

    private String resolve(String prefix) {
        List<String> ids = jobs.keySet().stream().filter(id -> id.startsWith(prefix)).toList();
        if (ids.size() != 1) {
            throw JbitsException.notFound(ids.isEmpty() ? "no job '" + prefix + "'" : "ambiguous job '" + prefix + "'");
        }
        return ids.getFirst();
    }

    private static JobInfo withOption(JobInfo j, String name, Object value) {
        Map<String, Object> options = new LinkedHashMap<>(j.options());
        if (value == null) {
            options.remove(name);
        } else {
            options.put(name, value);
        }
        return new JobInfo(j.id(), j.name(), j.description(), j.type(), j.state(), j.priority(), j.owner(),
                j.bytesTotal(), j.bytesTransferred(), j.filesTotal(), j.filesTransferred(), j.created(),
                Instant.now(), j.transferCompleted(), j.minRetryDelay(), j.noProgressTimeout(), j.errorCount(),
                j.error(), j.bytesPerSecond(), j.files(), j.replyFile(), j.replyBytesTotal(),
                j.replyBytesTransferred(), options, j.heldBack());
    }

    private static JobInfo with(JobInfo j, JobState state, List<FileInfo> files) {
        return new JobInfo(j.id(), j.name(), j.description(), j.type(), state, j.priority(), j.owner(),
                j.bytesTotal(), j.bytesTransferred(), files.size(), j.filesTransferred(), j.created(), Instant.now(),
                j.transferCompleted(), j.minRetryDelay(), j.noProgressTimeout(), j.errorCount(), j.error(),
                j.bytesPerSecond(), files);
    }
}
