package io.jbits.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jbits.api.JobInfo;
import io.jbits.rest.Json;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes an {@link Answer} as the response: its status and its body as JSON, a list of jobs as a stream. */
final class AnswerWriter {
    private static final System.Logger LOG = System.getLogger(AnswerWriter.class.getName());
    private static final String JSON = "application/json";

    private AnswerWriter() {
    }

    static void write(Response response, Answer answer, Callback callback) {
        if (answer.body() instanceof Answer.JobList list) {
            writeJobs(response, list.jobs(), callback);
            return;
        }
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(answer.body());
        } catch (JsonProcessingException e) {
            LOG.log(Level.ERROR, "cannot write an answer as JSON: " + answer.body(), e);
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
    private static void writeJobs(Response response, List<JobInfo> jobs, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        try (OutputStream out = new BufferedOutputStream(Content.Sink.asOutputStream(response), 64 * 1024)) {
            Json.writeJobList(jobs, out);
        } catch (IOException | RuntimeException e) {
            // the caller went away
            LOG.log(Level.DEBUG, () -> "a list of " + jobs.size() + " jobs was not written out", e);
            callback.failed(e);
            return;
        }
        callback.succeeded();
    }
}
