package io.jbits.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.jbits.api.BitsCodes;
import io.jbits.api.JobError;
import io.jbits.api.JobEvent;
import io.jbits.api.JobInfo;
import io.jbits.api.Priority;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The JSON of the service's REST API, shared by both ends so they agree: one configured {@link ObjectMapper} and
 * the request and response bodies.
 *
 * <p>Job types and priorities are written in lower case as on the command line ({@code "download"},
 * {@code "foreground"}), states by their upper-case BITS names, times as ISO-8601 strings, durations as numbers of
 * seconds, and error codes as BITS prints them ({@code "0x80190194"}) beside their symbol. Unknown fields are
 * refused.
 */
public final class Json {
    /** The mapper, built at its first use, not with this class: a command that never needs it never pays for it. */
    private static final class Holder {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(JbitsModule.create())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    private Json() {
    }

    /** The mapper both ends use; thread-safe, do not reconfigure it. */
    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    /**
     * Builds what the first answer of a starting service needs, its status, both ways: Jackson makes a type's
     * serializer and deserializer at first use, about a tenth of a second on a cold JVM. Both ends call it while they
     * wait for something slower (the service for its jobs to load, the CLI for the service).
     */
    public static void prepare() {
        try {
            mapper().readValue(mapper().writeValueAsBytes(new ServiceStatus("", 0, "", "", 0)), ServiceStatus.class);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a status always survives a round trip
        }
    }

    /**
     * Writes jobs as the JSON array of {@code GET /v1/jobs}, one compact job per line between the brackets, as a
     * stream: each job goes out as it is written, never the whole array in memory. The stream is flushed, not
     * closed. {@code jbits list --json} prints these bytes as they come.
     */
    public static void writeJobList(Iterable<JobInfo> jobs, OutputStream out) throws IOException {
        JobListJson.writeJobList(jobs, out);
    }

    /**
     * One job as {@code mapper().writerWithDefaultPrettyPrinter()} writes it, the same characters, without building
     * the mapper's serializer of a job (reflection over the record, a large share of a short command's CPU); the
     * mapper writes only an error or options.
     */
    public static String prettyJob(JobInfo job) throws IOException {
        return JobListJson.prettyJob(job);
    }

    /**
     * A time as the service writes it ({@code time.toString()}, ISO-8601 in UTC), the same characters, without
     * java.time's formatter where it can (years 0 to 9999).
     */
    public static String time(java.time.Instant time) {
        return JobListJson.iso(time);
    }

    /**
     * One job as {@code mapper().writeValueAsString} writes it, the same characters, without building the mapper's
     * serializer of a job ({@link #prettyJob} says why).
     */
    public static String compactJob(JobInfo job) throws IOException {
        return JobListJson.compactJob(job);
    }

    /**
     * Reads a JSON array of jobs ({@code GET /v1/jobs}) as a stream, one job at a time, and hands each to an action.
     *
     * @throws IOException when the input is not a complete array of jobs
     */
    public static void readJobList(InputStream in, Consumer<JobInfo> action) throws IOException {
        JobListJson.readJobList(in, action);
    }

    /** Body of {@code POST /v1/jobs}. Null type and priority mean download and normal. */
    public record CreateJob(String name, String type, String priority, String description) {
    }

    /** Body of {@code POST /v1/jobs/{id}/files}. */
    public record AddFile(String remoteUrl, String localPath) {
    }

    /**
     * Body of {@code PATCH /v1/jobs/{id}}: each non-null field replaces the job's value.
     *
     * @param minRetryDelay seconds
     * @param noProgressTimeout seconds
     */
    public record Change(String name, String description, Priority priority, Duration minRetryDelay,
                         Duration noProgressTimeout) {
    }

    /** Body of {@code PUT /v1/jobs/{id}/files/{index}/remote-url}. */
    public record RemoteUrl(String remoteUrl) {
    }

    /** The body of {@code POST /v1/job-completions}: the jobs to complete, in order. */
    public record JobIds(java.util.List<String> ids) {
    }

    /** The body of {@code POST /v1/jobs/{id}/file-set}: files added all or none. */
    public record FileSet(java.util.List<AddFile> files) {
    }

    /**
     * The body of {@code POST /v1/download-jobs}: a download job made with its files and queued, all or none. A null
     * priority means normal.
     */
    public record NewDownload(String name, String priority, String description, java.util.List<AddFile> files) {
    }

    /** The body of {@code POST /v1/upload-jobs}: upload jobs created and queued all or none. */
    public record UploadBatch(java.util.List<NewUpload> uploads) {
    }

    /**
     * One job of {@link UploadBatch}: as {@link CreateJob} (a null type means upload, a null priority normal), with
     * its one file.
     */
    public record NewUpload(String name, String type, String priority, String description, String remoteUrl,
                            String localPath) {
    }

    /** The body of {@code PUT /v1/jobs/{id}/reply-file}. */
    public record ReplyFile(String localPath) {
    }

    /** The body of {@code PUT /v1/jobs/{id}/max-rate}: bytes per second, negative or null for no cap. */
    public record MaxRate(Long bytesPerSecond) {
    }

    /**
     * The body of {@code PATCH /v1/policy}: each non-null field replaces the policy's value.
     *
     * @param limit all jobs together: a RATE ({@code 4M}, {@code off}) or a TIMETABLE
     * @param backgroundLimit all background jobs together: a RATE or a TIMETABLE
     *     ({@code Mon-Fri 08:00,512k 18:00,off})
     */
    public record PolicyChange(String limit, String backgroundLimit) {
    }

    /**
     * The answer of {@code GET /v1/policy}: the bandwidth policy, where it is kept, and what is in force now.
     *
     * @param limit the limit of all jobs as written (RATE or TIMETABLE)
     * @param backgroundLimit the limit of background jobs as written
     * @param limitNow the limit of all jobs in force now (RATE text, {@code off} for none)
     * @param limitWhy why, for people ("limit 4 MiB/s (schedule 08:00-18:00)"), or ""
     * @param backgroundLimitNow the limit of background jobs in force now, after the scavenger
     * @param backgroundWhy why, or ""
     * @param file the policy file
     * @param fileError why the file as it is now cannot be used (the previous policy stays in force), or null
     * @param governor what the background governor sees now; absent when the service does not scavenge
     */
    public record Policy(String limit, String backgroundLimit, String limitNow, String limitWhy,
                         String backgroundLimitNow, String backgroundWhy, String file, String fileError,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Governor governor) {
        /** The policy without a governor's view. */
        public Policy(String limit, String backgroundLimit, String limitNow, String limitWhy,
                      String backgroundLimitNow, String backgroundWhy, String file, String fileError) {
            this(limit, backgroundLimit, limitNow, limitWhy, backgroundLimitNow, backgroundWhy, file, fileError, null);
        }
    }

    /**
     * The background governor's latest view of the link, in {@link Policy#governor}.
     *
     * @param competingBytesPerSecond what others (not jbits' jobs) move over the link; 0 when unmeasured
     * @param queuingDelayMillis how much longer round trips take than the idle link's
     * @param targetMillis the queuing delay background traffic may add
     * @param allowedBytesPerSecond the rate background jobs may use now; negative for no limit
     * @param reason why background jobs are held back, or null
     */
    public record Governor(long competingBytesPerSecond, long queuingDelayMillis, long targetMillis,
                           long allowedBytesPerSecond, String reason) {
    }

    /** The body of {@code POST /v1/dashboard}: the loopback port to listen on, null or 0 for any free one. */
    public record DashboardStart(Integer port) {
    }

    /**
     * The answer of {@code POST /v1/dashboard}: where the dashboard listens and the secret every request to it needs.
     *
     * @param url the dashboard's address without the token ({@code http://127.0.0.1:PORT/})
     * @param token the secret, 64 hex digits; only the service's owner gets this answer
     */
    public record Dashboard(String url, int port, String token) {
        @Override
        public String toString() {
            return "Dashboard[" + url + "]";
        }
    }

    /**
     * The body of {@code PUT /v1/jobs/{id}/credentials}: the only place a secret travels. Its {@code toString}
     * leaves the secret out.
     *
     * @param target {@code server} or {@code proxy}
     * @param scheme {@code basic}, {@code digest}, {@code ntlm} or {@code negotiate}
     */
    public record SetCredentials(String target, String scheme, String user, char[] secret) {
        @Override
        public String toString() {
            return "SetCredentials[" + target + " " + scheme + " " + user + "]";
        }
    }

    /** The body of {@code PUT /v1/jobs/{id}/proxy}: usage preconfig, none or override, and override's lists. */
    public record Proxy(String usage, java.util.List<String> proxies, java.util.List<String> bypass) {
    }

    /** The body of {@code PUT /v1/jobs/{id}/headers}: every custom header, {@code Name: value}; empty clears. */
    public record Headers(java.util.List<String> headers) {
    }

    /** The body of {@code PUT /v1/jobs/{id}/redirects}: allow, report or deny, and whether https→http is followed. */
    public record Redirects(String policy, Boolean allowHttpsToHttp) {
    }

    /** The answer of {@code GET /v1/jobs/{id}/reply}: the reply's bytes (base64 in JSON). */
    public record Reply(byte[] data) {
    }

    /** The body of {@code PUT /v1/jobs/{id}/notify}: a null command line clears it; {@code on} holds labels. */
    public record Notify(String commandLine, java.util.List<String> on) {
    }

    /**
     * One event of {@code GET /v1/events}: its position in the stream (the SSE id, also for {@code ?after=}) and
     * the {@link JobEvent}'s fields ({@code kind} as a label: transferred, error, modified, file-transferred).
     */
    public record StreamEvent(long id, JobEvent.Kind kind, String jobId, long seq, java.time.Instant time,
                              JobEvent.Change change, io.jbits.api.JobState state, long bytesTotal,
                              long bytesTransferred, int filesTotal, int filesTransferred, JobError error,
                              int fileIndex, long bytesPerSecond) {
        /** The stream's form of an event at a position. */
        public static StreamEvent of(long id, JobEvent e) {
            return new StreamEvent(id, e.kind(), e.jobId(), e.seq(), e.time(), e.change(), e.state(), e.bytesTotal(),
                    e.bytesTransferred(), e.filesTotal(), e.filesTransferred(), e.error(), e.fileIndex(),
                    e.bytesPerSecond());
        }

        /** The event without its position. */
        public JobEvent event() {
            return new JobEvent(kind, jobId, seq, time, change, state, bytesTotal, bytesTransferred, filesTotal,
                    filesTransferred, error, fileIndex, bytesPerSecond);
        }
    }

    /**
     * The body of every error response.
     *
     * @param code the BITS code in hex ({@code "0x80200001"})
     * @param symbol its name ({@code "BG_E_NOT_FOUND"})
     */
    public record Error(String code, String symbol, String message) {
        /** The error body for a BITS code. */
        public static Error of(int code, String message) {
            return new Error(BitsCodes.hex(code), BitsCodes.name(code), message);
        }
    }
}
