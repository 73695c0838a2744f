package io.jbits.events;

import io.jbits.api.JbitsException;
import io.jbits.api.JobEvent;
import io.jbits.api.JobListener;
import io.jbits.api.JobState;
import io.jbits.api.Subscription;
import io.jbits.api.TransferManager;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Hands events to listeners, each on a virtual thread of its own: the delivery machinery that every
 * {@link TransferManager} implementation shares (the engine feeds it from its queue, the client from the event
 * stream). Applications do not need it: they
 * add listeners through {@link TransferManager}.
 *
 * <p>Why per-listener threads and queues: {@link #publish} may be called by the engine with its lock held, so it
 * only appends to each listener's queue and wakes its thread; nothing a listener does can slow it. Each queue keeps
 * events other than progress in order and in full (they are few: state changes, property changes, files); progress
 * events are coalesced to the newest per job and handed over at most once per the listener's minimum interval, so
 * a listener that blocks for an hour holds at most one progress event per job and every state change. Events of a
 * job whose number is not above the last one delivered for that job are dropped as duplicates or stale, which keeps
 * delivery in order per job even when a coalesced progress event and a state change race. A TRANSFERRED or ERROR
 * event whose listener throws is offered again after 1, 2, 4 … 32 s (6 tries) unless a newer event of the job has
 * been delivered meanwhile: BITS calls a failing callback again later.
 *
 * @since 0.1
 */
public final class EventDelivery implements AutoCloseable {
    /** The minimum interval between two progress events of one job to one listener unless it asks otherwise. */
    public static final Duration DEFAULT_PROGRESS_INTERVAL = TransferManager.DEFAULT_PROGRESS_INTERVAL;
    /*
     * The logger is looked up at the first failure, not with the class: the lookup sets up the platform's logging
     * backend (a scan of every jar of the class path, slf4j's configuration), 40 ms of a `jbits transfer` that
     * follows one job and never logs.
     */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(EventDelivery.class.getName());
    }
    private static final int MAX_TRIES = 6;
    private static final long FIRST_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String name;
    private final LongSupplier nanoTime;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** A delivery whose listener threads are named after {@code name}. */
    public EventDelivery(String name) {
        this(name, System::nanoTime);
    }

    EventDelivery(String name, LongSupplier nanoTime) {
        this.name = Objects.requireNonNull(name, "name");
        this.nanoTime = nanoTime;
    }

    /**
     * Registers a listener and starts its thread.
     *
     * @param jobId the full id of the one job to listen to, or null for every job
     * @param minProgressInterval at least this long between two progress events of one job; zero for every one
     * @param replay events delivered first, before anything published later (the TRANSFERRED and ERROR events of
     *     jobs still in those states, which a late listener receives as BITS does)
     */
    public Subscription subscribe(String jobId, Duration minProgressInterval, JobListener listener,
                                  Collection<JobEvent> replay) {
        Objects.requireNonNull(listener, "listener");
        if (minProgressInterval.isNegative()) {
            throw JbitsException.invalidArgument("minimum progress interval must not be negative: "
                    + minProgressInterval);
        }
        if (closed) {
            throw JbitsException.invalidState("event delivery " + name + " is closed");
        }
        Listener l = new Listener(jobId, minProgressInterval.toNanos(), listener);
        for (JobEvent e : replay) {
            l.offer(e);
        }
        listeners.add(l);
        l.thread = Thread.ofVirtual().name(name + "-listener").start(l::run);
        return l;
    }

    /** Queues an event for every listener it concerns; never blocks on a listener. */
    public void publish(JobEvent event) {
        for (Listener l : listeners) {
            l.offer(event);
        }
    }

    /** The number of registered listeners. */
    public int listenerCount() {
        return listeners.size();
    }

    /** Stops every listener's thread; events not yet delivered are dropped. */
    @Override
    public void close() {
        closed = true;
        for (Listener l : listeners) {
            l.close();
        }
    }

    /** An event to hand over and how many times it was tried already. */
    private record Delivery(JobEvent event, int tries, long dueNanos) {
    }

    /** One registered listener: its queues, what it has seen, its thread. */
    private final class Listener implements Subscription {
        private final String jobId;
        private final long intervalNanos;
        private final JobListener target;
        /** The kinds the listener wants ({@link JobListener#kinds}), read once: the others never reach its queue. */
        private final Set<JobEvent.Kind> kinds;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final ArrayDeque<JobEvent> events = new ArrayDeque<>();
        private final Map<String, JobEvent> progress = new LinkedHashMap<>();
        private final List<Delivery> retries = new ArrayList<>();
        private final Map<String, Long> delivered = new HashMap<>();
        private final Map<String, Long> lastProgressNanos = new HashMap<>();
        private boolean stopped;
        private Thread thread;

        Listener(String jobId, long intervalNanos, JobListener target) {
            this.jobId = jobId;
            this.intervalNanos = intervalNanos;
            this.target = target;
            this.kinds = EnumSet.noneOf(JobEvent.Kind.class);
            this.kinds.addAll(target.kinds());
        }

        void offer(JobEvent e) {
            if (jobId != null && !jobId.equals(e.jobId()) || !kinds.contains(e.kind())) {
                return;
            }
            lock.lock();
            try {
                if (stopped) {
                    return;
                }
                if (e.isProgress()) {
                    progress.remove(e.jobId()); // the newest goes to the end: the oldest waiting job goes first
                    progress.put(e.jobId(), e);
                } else {
                    progress.remove(e.jobId()); // older than this event, which carries the same figures
                    events.add(e);
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void run() {
            while (true) {
                Delivery d;
                try {
                    d = next();
                } catch (InterruptedException e) {
                    return;
                }
                if (d == null) {
                    return;
                }
                try {
                    target.onEvent(d.event());
                } catch (RuntimeException | LinkageError | AssertionError failure) {
                    failed(d, failure);
                }
            }
        }

        private void failed(Delivery d, Throwable failure) {
            JobEvent e = d.event();
            Log.LOG.log(System.Logger.Level.WARNING, "a listener failed on " + e.kind().label() + " of job "
                    + e.jobId() + ": " + failure);
            if (!e.isSticky() || d.tries() + 1 >= MAX_TRIES) {
                return;
            }
            lock.lock();
            try {
                long pause = FIRST_RETRY_NANOS << d.tries();
                retries.add(new Delivery(e, d.tries() + 1, nanoTime.getAsLong() + pause));
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** The next event to deliver, waiting for one; null once closed. */
        private Delivery next() throws InterruptedException {
            lock.lock();
            try {
                while (true) {
                    if (stopped) {
                        return null;
                    }
                    long now = nanoTime.getAsLong();
                    long waitNanos = Long.MAX_VALUE;
                    JobEvent e;
                    while ((e = events.poll()) != null) {
                        if (fresh(e)) {
                            delivered.put(e.jobId(), e.seq());
                            return new Delivery(e, 0, now);
                        }
                    }
                    for (Iterator<Delivery> it = retries.iterator(); it.hasNext(); ) {
                        Delivery r = it.next();
                        Long seen = delivered.get(r.event().jobId());
                        if (seen == null || seen != r.event().seq()) {
                            it.remove(); // something newer of the job went out: the retry is stale
                        } else if (r.dueNanos() <= now) {
                            it.remove();
                            return r;
                        } else {
                            waitNanos = Math.min(waitNanos, r.dueNanos() - now);
                        }
                    }
                    for (Iterator<JobEvent> it = progress.values().iterator(); it.hasNext(); ) {
                        JobEvent p = it.next();
                        if (!fresh(p)) {
                            it.remove();
                            continue;
                        }
                        Long last = lastProgressNanos.get(p.jobId());
                        long due = last == null ? now : last + intervalNanos;
                        if (due - now <= 0) {
                            it.remove();
                            delivered.put(p.jobId(), p.seq());
                            lastProgressNanos.put(p.jobId(), now);
                            return new Delivery(p, 0, now);
                        }
                        waitNanos = Math.min(waitNanos, due - now);
                    }
                    if (waitNanos == Long.MAX_VALUE) {
                        changed.await();
                    } else {
                        changed.awaitNanos(waitNanos);
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        private boolean fresh(JobEvent e) {
            Long seen = delivered.get(e.jobId());
            return seen == null || e.seq() > seen;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                stopped = true;
                events.clear();
                progress.clear();
                retries.clear();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            listeners.remove(this);
        }
    }
}
