package io.jbits.daemon;

import io.jbits.api.JobEvent;
import io.jbits.api.JobListener;
import io.jbits.api.Subscription;
import io.jbits.api.TransferManager;
import io.jbits.rest.Json;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The recent events of the service, numbered for the event stream, so a client that reconnects with the last
 * number it saw gets what it missed.
 *
 * <p>Stream positions are {@code max(previous + 1, epoch microseconds)}: they grow across restarts of the service
 * without being stored. The journal keeps the last {@link #CAPACITY} events and, per job, its TRANSFERRED or ERROR
 * event while the job stays there. A reader whose position is older than what the journal still holds (a reader
 * of an earlier run of the service, or one that was away too long) first gets those owed events, then everything
 * the journal holds after its position: TRANSFERRED and ERROR are never lost, and the engine owes them to the
 * journal again after a restart. Readers drop what they have seen by the events' per-job numbers.
 */
final class EventJournal implements AutoCloseable {
    static final int CAPACITY = 8192;
    /** Progress in the stream at most this often per job; clients pace it further for their listeners. */
    static final Duration STREAM_PROGRESS_INTERVAL = Duration.ofMillis(100);

    private final ArrayDeque<Json.StreamEvent> recent = new ArrayDeque<>();
    private final Map<String, Json.StreamEvent> owed = new LinkedHashMap<>();
    private final Subscription subscription;
    private long lastId;
    /** Positions up to here are not in {@link #recent} (earlier runs, or dropped for room). */
    private long forgottenUpTo;
    private boolean closed;

    EventJournal(TransferManager jobs) {
        lastId = System.currentTimeMillis() * 1000;
        forgottenUpTo = lastId;
        subscription = jobs.addListener(null, STREAM_PROGRESS_INTERVAL, JobListener.of(this::append));
    }

    private synchronized void append(JobEvent e) {
        lastId = Math.max(lastId + 1, System.currentTimeMillis() * 1000);
        Json.StreamEvent s = Json.StreamEvent.of(lastId, e);
        recent.add(s);
        if (recent.size() > CAPACITY) {
            forgottenUpTo = recent.remove().id();
        }
        if (e.isSticky()) {
            owed.remove(e.jobId());
            owed.put(e.jobId(), s);
        } else if (e.kind() == JobEvent.Kind.MODIFIED && e.change() == JobEvent.Change.STATE) {
            owed.remove(e.jobId());
        }
        notifyAll();
    }

    /** The newest position; a reader that starts here gets only what happens from now on (and what it is owed). */
    synchronized long position() {
        return lastId;
    }

    /**
     * The events after a position for one job or all (null), of the given kinds, waiting up to
     * {@code timeoutMillis} for one; empty on timeout (the batch's next position says how far the reader got, also
     * past events it did not want). A position older than the journal gets the owed TRANSFERRED and ERROR events
     * first.
     *
     * @throws InterruptedException when the journal closes or the thread is interrupted
     */
    synchronized Batch after(long position, String jobId, Set<JobEvent.Kind> kinds, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        List<Json.StreamEvent> out = new ArrayList<>();
        while (true) {
            while (!closed && lastId <= position && position >= forgottenUpTo) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Batch(List.of(), position);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            if (closed) {
                throw new InterruptedException("the event journal is closed");
            }
            if (position < forgottenUpTo) {
                owed.values().stream().filter(s -> wanted(s, jobId, kinds))
                        .sorted(Comparator.comparingLong(Json.StreamEvent::id)).forEach(out::add);
            }
            /*
             * Newest first, down to the reader's position: a reader that keeps up looks at the few new events, not
             * the whole journal, on every wake-up.
             */
            int owedCount = out.size();
            for (Iterator<Json.StreamEvent> it = recent.descendingIterator(); it.hasNext(); ) {
                Json.StreamEvent s = it.next();
                if (s.id() <= position) {
                    break;
                }
                if (wanted(s, jobId, kinds)) {
                    out.add(s);
                }
            }
            Collections.reverse(out.subList(owedCount, out.size()));
            position = lastId;
            if (!out.isEmpty() || deadline - System.nanoTime() <= 0) {
                return new Batch(out, position);
            }
        }
    }

    private static boolean wanted(Json.StreamEvent s, String jobId, Set<JobEvent.Kind> kinds) {
        return (jobId == null || jobId.equals(s.jobId())) && kinds.contains(s.kind());
    }

    /** Events for a reader, and the position it has read up to (also past events of other jobs). */
    record Batch(List<Json.StreamEvent> events, long next) {
    }

    /** The owed TRANSFERRED and ERROR events of one job or all, of the given kinds, oldest first. */
    synchronized List<Json.StreamEvent> owed(String jobId, Set<JobEvent.Kind> kinds) {
        return owed.values().stream().filter(s -> wanted(s, jobId, kinds))
                .sorted(Comparator.comparingLong(Json.StreamEvent::id)).toList();
    }

    /** Ends every waiting reader and stops listening. */
    @Override
    public void close() {
        subscription.close();
        synchronized (this) {
            closed = true;
            notifyAll();
        }
    }
}
