package io.jbits.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.jbits.api.AuthScheme;
import io.jbits.api.AuthTarget;
import io.jbits.api.BitsCodes;
import io.jbits.api.Credentials;
import io.jbits.api.JbitsException;
import io.jbits.api.JobChanges;
import io.jbits.api.JobType;
import io.jbits.api.NewFile;
import io.jbits.api.NewJob;
import io.jbits.api.Priority;
import io.jbits.api.ProxyUsage;
import io.jbits.api.Redirects;
import io.jbits.api.TlsOptions;
import io.jbits.api.TransferManager;
import io.jbits.client.JbitsVersion;
import io.jbits.client.Json;
import io.jbits.client.ServiceStatus;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST endpoints: routes a request to the {@link TransferManager} and writes the answer as JSON.
 *
 * <p>Refusals become error bodies {@code {code, symbol, message}}: 404 for an unknown job, 409 for a state that
 * does not allow the call, 400 for other refusals and bad JSON, 413 for bodies over 1 MiB, 403 for callers of
 * another user, 500 for anything unexpected (logged).
 */
final class ApiHandler extends Handler.Abstract {
    static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final String JSON = "application/json";

    private final ApiConfig config;
    private final TransferManager jobs;
    private final EventJournal journal;
    private final EventStreamer streamer;

    ApiHandler(ApiConfig config) {
        this.config = config;
        this.jobs = config.manager();
        this.journal = new EventJournal(jobs);
        this.streamer = new EventStreamer(journal, jobs);
    }

    /** Ends the event streams and stops journaling events. */
    void close() {
        journal.close();
    }

    /** An answer: a status and a value to write as JSON. */
    private record Answer(int status, Object body) {
    }

    /** The body of {@code GET /v1/jobs}: written as a stream ({@link Json#writeJobList}), never as one array. */
    private record JobList(List<io.jbits.api.JobInfo> jobs) {
    }

    /** A refusal that is not a {@link JbitsException}: bad JSON, unknown route, body too large. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final int code;

        Refusal(int status, int code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        Answer answer;
        boolean stopAfter = false;
        try {
            String peer = PeerCheck.peerUser(request);
            if (!PeerCheck.allows(peer, config.owner())) {
                LOG.warn("refused {} {} from user {}", method, path, peer);
                answer = error(403, BitsCodes.E_ACCESSDENIED, "user '" + peer + "' may not use the jbits service of '"
                        + config.owner() + "'");
            } else if ("GET".equals(method) && path.replaceAll("/+$", "").equals("/v1/events")) {
                streamer.stream(request, response, callback);
                return true;
            } else {
                answer = route(method, path, request);
                stopAfter = answer.status() == 200 && "POST".equals(method) && "/v1/service/stop".equals(path);
            }
        } catch (JbitsException e) {
            answer = error(statusFor(e.code()), e.code(), e.getMessage());
        } catch (Refusal e) {
            answer = error(e.status, e.code, e.getMessage());
        } catch (IllegalArgumentException e) {
            answer = error(400, BitsCodes.E_INVALIDARG, e.getMessage());
        } catch (Exception e) {
            LOG.error("{} {} failed", method, path, e);
            answer = error(500, BitsCodes.E_FAIL, e.getMessage() == null ? e.toString() : e.getMessage());
        }
        write(response, answer, stopAfter ? afterwards(callback, config.stopRequested()) : callback);
        return true;
    }

    /** The HTTP status of a refusal with a BITS code. */
    static int statusFor(int code) {
        return switch (code) {
            case BitsCodes.BG_E_NOT_FOUND -> 404;
            case BitsCodes.BG_E_INVALID_STATE -> 409;
            default -> 400;
        };
    }

    private Answer route(String method, String path, Request request) throws IOException {
        List<String> parts = List.of(path.replaceAll("^/+|/+$", "").split("/+"));
        if (parts.size() < 2 || !parts.get(0).equals("v1")) {
            throw noRoute(method, path);
        }
        if (parts.get(1).equals("service")) {
            if (parts.size() == 2 && method.equals("GET")) {
                return ok(new ServiceStatus(JbitsVersion.current(), ProcessHandle.current().pid(), config.owner(),
                        config.home().toString(), jobs.jobCount(false)));
            }
            if (parts.size() == 3 && parts.get(2).equals("stop") && method.equals("POST")) {
                return ok(Map.of("stopping", true));
            }
            throw noRoute(method, path);
        }
        if (parts.get(1).equals("policy") && parts.size() == 2 && config.policies() != null) {
            return switch (method) {
                case "GET" -> ok(config.policies().show());
                case "PATCH", "PUT" -> ok(config.policies().change(read(request, Json.PolicyChange.class)));
                default -> throw noRoute(method, path);
            };
        }
        if (!parts.get(1).equals("jobs")) {
            throw noRoute(method, path);
        }
        if (parts.size() == 2) {
            return switch (method) {
                case "GET" -> {
                    var query = Request.extractQueryParameters(request);
                    boolean all = "true".equalsIgnoreCase(query.getValue("all"));
                    // The snapshot is taken here; it is written out job by job, without the engine's lock.
                    yield ok(new JobList("false".equalsIgnoreCase(query.getValue("files")) ? jobs.jobSummaries(all)
                            : jobs.jobs(all)));
                }
                case "POST" -> new Answer(201, jobs.create(newJob(read(request, Json.CreateJob.class))));
                default -> throw noRoute(method, path);
            };
        }
        String id = parts.get(2);
        if (parts.size() == 3) {
            return switch (method) {
                case "GET" -> ok(jobs.job(id));
                case "PATCH" -> ok(jobs.change(id, changes(read(request, Json.Change.class))));
                default -> throw noRoute(method, path);
            };
        }
        String verb = parts.get(3);
        if (parts.size() == 4 && verb.equals("reply-file") && method.equals("PUT")) {
            Json.ReplyFile body = read(request, Json.ReplyFile.class);
            return ok(jobs.setReplyFile(id, required(body.localPath(), "localPath")));
        }
        if (parts.size() == 4 && verb.equals("notify") && method.equals("PUT")) {
            Json.Notify body = read(request, Json.Notify.class);
            java.util.Set<io.jbits.api.JobEvent.Kind> on = new java.util.HashSet<>();
            for (String label : body.on() == null ? List.<String>of() : body.on()) {
                on.add(io.jbits.api.JobEvent.Kind.parse(label));
            }
            return ok(jobs.setNotifyCommand(id, body.commandLine(), on));
        }
        if (parts.size() == 4 && verb.equals("max-rate") && method.equals("PUT")) {
            Long bps = read(request, Json.MaxRate.class).bytesPerSecond();
            return ok(jobs.setMaxRate(id, bps == null ? -1 : bps));
        }
        if (verb.equals("credentials")) {
            return credentials(method, path, id, parts, request);
        }
        if (parts.size() == 4 && method.equals("PUT") && HTTP_SETTINGS.contains(verb)) {
            return ok(httpSettings(id, verb, request));
        }
        if (parts.size() == 4 && verb.equals("reply") && method.equals("GET")) {
            return ok(new Json.Reply(jobs.replyData(id)));
        }
        if (parts.size() == 4 && method.equals("POST")) {
            return switch (verb) {
                case "files" -> {
                    Json.AddFile add = read(request, Json.AddFile.class);
                    yield ok(jobs.addFile(id, required(add.remoteUrl(), "remoteUrl"),
                            required(add.localPath(), "localPath")));
                }
                case "file-set" -> {
                    Json.FileSet set = read(request, Json.FileSet.class);
                    if (set.files() == null || set.files().isEmpty()) {
                        throw new JbitsException(BitsCodes.E_INVALIDARG, "file-set: no files");
                    }
                    List<NewFile> files = new java.util.ArrayList<>(set.files().size());
                    for (Json.AddFile f : set.files()) {
                        files.add(new NewFile(required(f.remoteUrl(), "remoteUrl"), required(f.localPath(), "localPath")));
                    }
                    yield ok(jobs.addFiles(id, files));
                }
                case "resume" -> ok(jobs.resume(id));
                case "suspend" -> ok(jobs.suspend(id));
                case "cancel" -> ok(jobs.cancel(id));
                case "complete" -> ok(jobs.complete(id));
                default -> throw noRoute(method, path);
            };
        }
        if (parts.size() == 6 && verb.equals("files") && parts.get(5).equals("remote-url") && method.equals("PUT")) {
            int index = fileIndex(parts.get(4));
            Json.RemoteUrl body = read(request, Json.RemoteUrl.class);
            return ok(jobs.setRemoteUrl(id, index, required(body.remoteUrl(), "remoteUrl")));
        }
        throw noRoute(method, path);
    }

    /**
     * {@code PUT /v1/jobs/{id}/credentials} with target, scheme, user and secret in the body (never in the path or
     * query, which may be logged); {@code DELETE /v1/jobs/{id}/credentials/{target}/{scheme}}.
     */
    private Answer credentials(String method, String path, String id, List<String> parts, Request request)
            throws IOException {
        if (parts.size() == 4 && method.equals("PUT")) {
            Json.SetCredentials body = read(request, Json.SetCredentials.class);
            Credentials c = new Credentials(AuthTarget.parse(required(body.target(), "target")),
                    AuthScheme.parse(required(body.scheme(), "scheme")), required(body.user(), "user"),
                    required(body.secret(), "secret"));
            try {
                return ok(jobs.setCredentials(id, c));
            } finally {
                c.wipe();
            }
        }
        if (parts.size() == 6 && method.equals("DELETE")) {
            return ok(jobs.removeCredentials(id, AuthTarget.parse(parts.get(4)), AuthScheme.parse(parts.get(5))));
        }
        throw noRoute(method, path);
    }

    /** The routes {@code PUT /v1/jobs/{id}/<verb>} of a job's HTTP settings. */
    private static final java.util.Set<String> HTTP_SETTINGS = java.util.Set.of("proxy", "headers", "redirects",
            "tls");

    private io.jbits.api.JobInfo httpSettings(String id, String verb, Request request) throws IOException {
        try {
            return switch (verb) {
                case "proxy" -> {
                    Json.Proxy p = read(request, Json.Proxy.class);
                    yield jobs.setProxy(id, ProxyUsage.parse(required(p.usage(), "usage")), p.proxies(),
                            p.bypass());
                }
                case "headers" -> jobs.setHttpHeaders(id, required(read(request, Json.Headers.class).headers(),
                        "headers"));
                case "redirects" -> {
                    Json.Redirects r = read(request, Json.Redirects.class);
                    yield jobs.setRedirects(id, Redirects.parse(required(r.policy(), "policy")),
                            Boolean.TRUE.equals(r.allowHttpsToHttp()));
                }
                case "tls" -> jobs.setTls(id, read(request, TlsOptions.class));
                default -> throw new IllegalStateException("not an HTTP settings route: " + verb);
            };
        } catch (IllegalArgumentException e) {
            throw new Refusal(400, BitsCodes.E_INVALIDARG, e.getMessage());
        }
    }

    private static NewJob newJob(Json.CreateJob body) {
        JobType type = body.type() == null ? JobType.DOWNLOAD : JobType.parse(body.type());
        Priority priority = body.priority() == null ? Priority.NORMAL : Priority.parse(body.priority());
        return new NewJob(required(body.name(), "name"), type, priority, body.description());
    }

    private static JobChanges changes(Json.Change body) {
        return new JobChanges(body.name(), body.description(), body.priority(), body.minRetryDelay(),
                body.noProgressTimeout());
    }

    private static int fileIndex(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new Refusal(400, BitsCodes.E_INVALIDARG, "file index must be a number, not '" + text + "'");
        }
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new Refusal(400, BitsCodes.E_INVALIDARG, "missing field '" + field + "'");
        }
        return value;
    }

    private static <T> T read(Request request, Class<T> type) throws IOException {
        long declared = request.getLength();
        if (declared > MAX_BODY_BYTES) {
            throw tooLarge(declared);
        }
        byte[] body;
        try (InputStream in = Request.asInputStream(request)) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            // the caller closed its side before the declared length (or broke the chunked framing)
            throw new Refusal(400, BitsCodes.E_INVALIDARG, "the request body ended early: " + e.getMessage());
        }
        if (body.length > MAX_BODY_BYTES) {
            throw tooLarge(body.length);
        }
        if (body.length == 0) {
            throw new Refusal(400, BitsCodes.E_INVALIDARG, "this request needs a JSON body");
        }
        try {
            return Json.mapper().readValue(body, type);
        } catch (JsonMappingException e) {
            throw new Refusal(400, BitsCodes.E_INVALIDARG, "bad request body: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new Refusal(400, BitsCodes.E_INVALIDARG, "malformed JSON: " + e.getOriginalMessage());
        }
    }

    private static Refusal tooLarge(long bytes) {
        return new Refusal(413, BitsCodes.BG_E_TOO_LARGE,
                "request body of " + bytes + " bytes is larger than the limit of " + MAX_BODY_BYTES + " bytes");
    }

    private static Refusal noRoute(String method, String path) {
        return new Refusal(404, BitsCodes.E_NOTIMPL, "no endpoint " + method + " " + path);
    }

    private static Answer ok(Object body) {
        return new Answer(200, body);
    }

    private static Answer error(int status, int code, String message) {
        return new Answer(status, Json.Error.of(code, message));
    }

    private static void write(Response response, Answer answer, Callback callback) {
        if (answer.body() instanceof JobList list) {
            writeJobs(response, list.jobs(), callback);
            return;
        }
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(answer.body());
        } catch (JsonProcessingException e) {
            LOG.error("cannot write an answer as JSON: {}", answer.body(), e);
            callback.failed(e);
            return;
        }
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /**
     * Writes a list of jobs as it is serialised, in 64 KiB writes that block this (virtual) thread while the
     * caller reads: the 60 MiB of a 100,000-job queue never sit in memory as one tree or one byte array.
     */
    private static void writeJobs(Response response, List<io.jbits.api.JobInfo> jobs, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        try (OutputStream out = new BufferedOutputStream(Content.Sink.asOutputStream(response), 64 * 1024)) {
            Json.writeJobList(jobs, out);
        } catch (IOException | RuntimeException e) {
            LOG.debug("a list of {} jobs was not written out", jobs.size(), e); // the caller went away
            callback.failed(e);
            return;
        }
        callback.succeeded();
    }

    /** The callback, then an action once the answer has gone out (or failed to). */
    private static Callback afterwards(Callback callback, Runnable action) {
        return Callback.from(() -> {
            callback.succeeded();
            action.run();
        }, failure -> {
            callback.failed(failure);
            action.run();
        });
    }
}
