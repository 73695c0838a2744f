package io.jbits.rest;

import io.jbits.api.JobEvent;
import java.util.EnumSet;
import java.util.Set;
import java.util.StringJoiner;

/** The query parameters and headers of the REST API, beside its {@link Route routes}. */
public final class ApiParameters {
    /** {@link Route#JOBS_LIST}: {@code true} lists the final jobs too (acknowledged, cancelled). */
    public static final String ALL = "all";
    /**
     * {@link Route#JOBS_LIST}, and every route that answers a job or a list of jobs: {@code false} answers each job
     * without its files (only their counts), which is what a caller that made a job of thousands of files and keeps
     * their list itself needs.
     */
    public static final String FILES = "files";
    /** {@link Route#EVENTS}: only the events of this job (an id or a unique prefix). */
    public static final String JOB = "job";
    /**
     * {@link Route#EVENTS}: only events of these kinds, their labels separated by commas
     * ({@code kinds=transferred,error,modified} leaves out the per-file {@code file-transferred}); all by default.
     */
    public static final String KINDS = "kinds";
    /** {@link Route#EVENTS}: the stream position to resume after (else {@link #LAST_EVENT_ID}). */
    public static final String AFTER = "after";
    /** {@link Route#EVENTS}: {@link #JSON_LINES} for JSON lines instead of server-sent events. */
    public static final String FORMAT = "format";
    /** The value of {@link #FORMAT} for JSON lines. */
    public static final String JSON_LINES = "jsonl";
    /** {@link Route#EVENTS}' request header of server-sent events: the position to resume after. */
    public static final String LAST_EVENT_ID = "Last-Event-ID";
    /** {@link Route#EVENTS}' response header: the stream position the answer starts after. */
    public static final String POSITION_HEADER = "Jbits-Position";

    private ApiParameters() {
    }

    /** The value of {@link #KINDS} for these kinds, in their declared order. */
    public static String kinds(Set<JobEvent.Kind> kinds) {
        StringJoiner j = new StringJoiner(",");
        for (JobEvent.Kind k : JobEvent.Kind.values()) {
            if (kinds.contains(k)) {
                j.add(k.label());
            }
        }
        return j.toString();
    }

    /**
     * The kinds a value of {@link #KINDS} names (null or blank: all).
     *
     * @throws io.jbits.api.JbitsException for an unknown label
     */
    public static Set<JobEvent.Kind> parseKinds(String value) {
        Set<JobEvent.Kind> out = EnumSet.noneOf(JobEvent.Kind.class);
        if (value == null || value.isBlank()) {
            out.addAll(EnumSet.allOf(JobEvent.Kind.class));
            return out;
        }
        for (String label : value.split(",")) {
            if (!label.isBlank()) {
                out.add(JobEvent.Kind.parse(label));
            }
        }
        return out;
    }
}
