package io.jbits.daemon;

import io.jbits.api.JbitsException;
import io.jbits.api.JobEvent;
import io.jbits.api.TransferManager;
import io.jbits.rest.ApiParameters;
import io.jbits.rest.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code GET /v1/events[?job=ID][&kinds=K,…][&after=POS][&format=jsonl]}: the event stream, as server-sent events
 * ({@code text/event-stream}, the position as each event's {@code id}, the kind as its {@code event}) or as JSON
 * lines ({@code application/x-ndjson}, with {@code format=jsonl} or that Accept header). The position to resume
 * from comes from {@code after} or the {@code Last-Event-ID} header; without one the stream starts now, after the
 * TRANSFERRED and ERROR events the jobs still owe (as a listener registered late gets them). {@code kinds} keeps
 * only events of those kinds: a client following a job of 2,000 files with {@code kinds=transferred,error,modified}
 * gets its state changes and paced progress, not 2,000 {@code file-transferred} events.
 *
 * <p>The request holds its (virtual) thread for as long as the client reads; a comment line goes out every
 * {@link #KEEP_ALIVE_MILLIS} so a vanished client is noticed.
 */
final class EventStreamer {
    static final long KEEP_ALIVE_MILLIS = 15_000;

    private final EventJournal journal;
    private final TransferManager jobs;

    EventStreamer(EventJournal journal, TransferManager jobs) {
        this.journal = journal;
        this.jobs = jobs;
    }

    void stream(Request request, Response response, Callback callback) {
        Fields query = Request.extractQueryParameters(request);
        String jobParam = query.getValue(ApiParameters.JOB);
        String jobId = jobParam == null ? null : jobs.job(jobParam).id(); // 404 before the stream starts
        Set<JobEvent.Kind> kinds = ApiParameters.parseKinds(query.getValue(ApiParameters.KINDS));
        String after = query.getValue(ApiParameters.AFTER);
        if (after == null) {
            after = request.getHeaders().get(ApiParameters.LAST_EVENT_ID);
        }
        long position;
        try {
            position = after == null || after.isBlank() ? -1 : Long.parseLong(after.strip());
        } catch (NumberFormatException e) {
            throw JbitsException.invalidArgument("event position must be a number, not '" + after + "'");
        }
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        boolean lines = ApiParameters.JSON_LINES.equals(query.getValue(ApiParameters.FORMAT))
                || accept != null && (accept.contains("ndjson") || accept.contains("jsonl"));
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, lines ? "application/x-ndjson" : "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        boolean fresh = position < 0;
        if (fresh) {
            position = journal.position();
        }
        response.getHeaders().put(ApiParameters.POSITION_HEADER, Long.toString(position));
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            if (fresh) {
                write(out, journal.owed(jobId, kinds), lines);
            }
            out.flush();
            while (true) {
                EventJournal.Batch batch = journal.after(position, jobId, kinds, KEEP_ALIVE_MILLIS);
                if (batch.events().isEmpty()) { // nothing for this reader within the keep-alive interval
                    out.write(lines ? "\n".getBytes(StandardCharsets.US_ASCII)
                            : ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII));
                } else {
                    write(out, batch.events(), lines);
                }
                out.flush();
                position = batch.next();
            }
        } catch (InterruptedException e) {
            callback.succeeded(); // the service stops: the stream ends and the client reconnects later
        } catch (IOException e) {
            callback.failed(e); // the client went away
        }
    }

    private static void write(OutputStream out, List<Json.StreamEvent> events, boolean lines) throws IOException {
        for (Json.StreamEvent e : events) {
            String json = Json.mapper().writeValueAsString(e);
            String text = lines ? json + "\n" : "id: " + e.id() + "\nevent: " + e.kind().label() + "\ndata: " + json
                    + "\n\n";
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
