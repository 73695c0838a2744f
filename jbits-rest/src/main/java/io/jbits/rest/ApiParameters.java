package io.jbits.rest;

/** The query parameters and headers of the REST API, beside its {@link Route routes}. */
public final class ApiParameters {
    /** {@link Route#JOBS_LIST}: {@code true} lists the final jobs too (acknowledged, cancelled). */
    public static final String ALL = "all";
    /** {@link Route#JOBS_LIST}: {@code false} lists each job without its files (only their counts). */
    public static final String FILES = "files";
    /** {@link Route#EVENTS}: only the events of this job (an id or a unique prefix). */
    public static final String JOB = "job";
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
}
