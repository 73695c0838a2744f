package io.jbits.daemon;

import io.jbits.api.JobInfo;
import io.jbits.rest.Json;
import java.util.List;

/**
 * An answer of the REST API: a status and a value to write as JSON.
 *
 * @param body the value, or a {@link JobList} (written as a stream)
 */
record Answer(int status, Object body) {
    /** The answer of an endpoint that has written its own response (the event stream): nothing more to write. */
    static final Answer STREAMED = new Answer(0, null);

    /** The body of {@code GET /v1/jobs}: written as a stream ({@link Json#writeJobList}), never as one array. */
    record JobList(List<JobInfo> jobs) {
    }

    /** 200 with a body. */
    static Answer ok(Object body) {
        return new Answer(200, body);
    }

    /** 201 with the created thing. */
    static Answer created(Object body) {
        return new Answer(201, body);
    }

    /**
     * This answer with each job it carries (one, or a list) without its files, only their counts: what a caller
     * that asked {@code files=false} gets. Any other answer is itself; a {@link JobList} reads the parameter itself
     * (the job list is made without files from the start).
     */
    Answer withoutFiles() {
        if (body instanceof JobInfo job) {
            return new Answer(status, job.withoutFiles());
        }
        if (body instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(JobInfo.class::isInstance)) {
            return new Answer(status, list.stream().map(j -> ((JobInfo) j).withoutFiles()).toList());
        }
        return this;
    }

    /** An error body {@code {code, symbol, message}} with its status. */
    static Answer error(int status, int code, String message) {
        return new Answer(status, Json.Error.of(code, message));
    }
}
