package io.jbits.rest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every endpoint of the service's REST API: its method and path template, written once for both ends (the daemon
 * dispatches on them, the client builds its request paths from them).
 *
 * <p>A template's variables are whole path segments in braces ({@code /v1/jobs/{id}}); the bodies each endpoint
 * reads and answers are the records of {@link Json}, and its query parameters and headers are in
 * {@link ApiParameters}.
 */
public enum Route {
    /** The running service's version, pid, owner, state directory and job count ({@link ServiceStatus}). */
    SERVICE_STATUS("GET", "/v1/service"),
    /** Checkpoints every job and stops the service, once the answer has gone out. */
    SERVICE_STOP("POST", "/v1/service/stop"),
    /** The bandwidth policy and the limits in force now ({@link Json.Policy}). */
    POLICY_SHOW("GET", "/v1/policy"),
    /** Changes the bandwidth policy ({@link Json.PolicyChange}). */
    POLICY_CHANGE("PATCH", "/v1/policy"),
    /** The same as {@link #POLICY_CHANGE}: only the non-null fields of the body replace the policy's values. */
    POLICY_PUT("PUT", "/v1/policy"),
    /**
     * Starts the web dashboard on loopback unless it runs ({@link Json.DashboardStart}) and answers its address and
     * token ({@link Json.Dashboard}).
     */
    DASHBOARD("POST", "/v1/dashboard"),
    /** The event stream, as server-sent events or JSON lines ({@link Json.StreamEvent}). */
    EVENTS("GET", "/v1/events"),
    /** The jobs, as a streamed array ({@link Json#writeJobList}). */
    JOBS_LIST("GET", "/v1/jobs"),
    /** Creates a job ({@link Json.CreateJob}); answers 201 with the job. */
    JOB_CREATE("POST", "/v1/jobs"),
    /**
     * Creates a download job with its files and queues it, all or none ({@link Json.NewDownload}); answers 201 with
     * the job.
     */
    DOWNLOAD_START("POST", "/v1/download-jobs"),
    /**
     * Creates upload jobs, one file each, and queues them, all or none ({@link Json.UploadBatch}); answers 201 with
     * the jobs in the order given.
     */
    UPLOADS_START("POST", "/v1/upload-jobs"),
    /** One job, found by its id or a unique prefix of it. */
    JOB_SHOW("GET", "/v1/jobs/{id}"),
    /** Changes a job's properties ({@link Json.Change}). */
    JOB_CHANGE("PATCH", "/v1/jobs/{id}"),
    /** Adds one file ({@link Json.AddFile}). */
    JOB_ADD_FILE("POST", "/v1/jobs/{id}/files"),
    /** Adds files all or none ({@link Json.FileSet}). */
    JOB_ADD_FILES("POST", "/v1/jobs/{id}/file-set"),
    /** Queues a job. */
    JOB_RESUME("POST", "/v1/jobs/{id}/resume"),
    /** Suspends a job. */
    JOB_SUSPEND("POST", "/v1/jobs/{id}/suspend"),
    /** Cancels a job. */
    JOB_CANCEL("POST", "/v1/jobs/{id}/cancel"),
    /** Completes a transferred job. */
    JOB_COMPLETE("POST", "/v1/jobs/{id}/complete"),
    /**
     * Completes several transferred jobs ({@link Json.JobIds}), in the order given, stored in one durable write;
     * answers the jobs in that order.
     */
    JOBS_COMPLETE("POST", "/v1/job-completions"),
    /** Changes the remote URL of one of a job's files ({@link Json.RemoteUrl}). */
    FILE_REMOTE_URL("PUT", "/v1/jobs/{id}/files/{index}/remote-url"),
    /** Sets where an upload-reply job keeps its reply ({@link Json.ReplyFile}). */
    JOB_REPLY_FILE("PUT", "/v1/jobs/{id}/reply-file"),
    /** The reply of an upload-reply job ({@link Json.Reply}). */
    JOB_REPLY("GET", "/v1/jobs/{id}/reply"),
    /** Sets or clears a job's notify command ({@link Json.Notify}). */
    JOB_NOTIFY("PUT", "/v1/jobs/{id}/notify"),
    /** Sets or clears a job's bandwidth cap ({@link Json.MaxRate}). */
    JOB_MAX_RATE("PUT", "/v1/jobs/{id}/max-rate"),
    /** Sets credentials ({@link Json.SetCredentials}): the only route that carries a secret, in its body. */
    JOB_SET_CREDENTIALS("PUT", "/v1/jobs/{id}/credentials"),
    /** Removes the credentials of a target ({@code server}, {@code proxy}) and a scheme ({@code basic}, …). */
    JOB_REMOVE_CREDENTIALS("DELETE", "/v1/jobs/{id}/credentials/{target}/{scheme}"),
    /** Sets a job's proxy usage ({@link Json.Proxy}). */
    JOB_PROXY("PUT", "/v1/jobs/{id}/proxy"),
    /** Sets a job's custom HTTP headers ({@link Json.Headers}). */
    JOB_HEADERS("PUT", "/v1/jobs/{id}/headers"),
    /** Sets a job's redirect policy ({@link Json.Redirects}). */
    JOB_REDIRECTS("PUT", "/v1/jobs/{id}/redirects"),
    /** Sets a job's TLS options ({@link io.jbits.api.TlsOptions}). */
    JOB_TLS("PUT", "/v1/jobs/{id}/tls");

    /** A template's variable; in a class of its own, as an enum's constructors cannot read its static fields. */
    private static final class Template {
        static final Pattern VARIABLE = Pattern.compile("\\{([a-z]+)}");
    }

    private final String method;
    private final String template;
    private final List<String> variables;

    Route(String method, String template) {
        this.method = method;
        this.template = template;
        List<String> names = new ArrayList<>();
        Matcher m = Template.VARIABLE.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        this.variables = List.copyOf(names);
    }

    /** The HTTP method, such as {@code PUT}. */
    public String method() {
        return method;
    }

    /** The path template, such as {@code /v1/jobs/{id}/files/{index}/remote-url}. */
    public String template() {
        return template;
    }

    /** The names of the template's variables, in the order they appear. */
    public List<String> variables() {
        return variables;
    }

    /**
     * The path of this route with its variables filled in, in order, each encoded as one path segment.
     *
     * @throws IllegalArgumentException when the number of values is not the number of variables
     */
    public String path(Object... values) {
        if (values.length != variables.size()) {
            throw new IllegalArgumentException(this + " takes " + variables.size() + " values " + variables + ", not "
                    + values.length);
        }
        Matcher m = Template.VARIABLE.matcher(template);
        StringBuilder path = new StringBuilder();
        int i = 0;
        while (m.find()) {
            m.appendReplacement(path, Matcher.quoteReplacement(segment(String.valueOf(values[i++]))));
        }
        m.appendTail(path);
        return path.toString();
    }

    /** A value as one path segment: percent-encoded, a space as {@code %20}. */
    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
