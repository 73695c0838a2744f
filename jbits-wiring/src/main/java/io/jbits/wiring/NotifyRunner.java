package io.jbits.wiring;

import io.jbits.api.JbitsException;
import io.jbits.api.JobEvent;
import io.jbits.api.JobInfo;
import io.jbits.api.JobListener;
import io.jbits.api.Subscription;
import io.jbits.core.Engine;
import io.jbits.spi.NotifyCommand;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs jobs' notification commands (BITS SetNotifyCmdLine) when their events come.
 *
 * <p>The program runs as the service's user, which is the owner of every job it holds; a job whose recorded owner
 * differs is refused (logged, never run). It gets {@code JBITS_JOB_ID} and {@code JBITS_EVENT}
 * ({@code transferred}, {@code error}, {@code modified}) in its environment, and the words {@code {job}} and
 * {@code {event}} of its command line are replaced by the same. Its output goes to the service log.
 *
 * <p>As in BITS 2.0, a program that exits non-zero for TRANSFERRED or ERROR runs again later while the job stays
 * in that state: after the job's minimum retry delay, doubling each time up to an hour, at most
 * {@link #MAX_RUNS} times; the job itself goes on regardless. A run that succeeded is recorded in the job's options
 * ({@link NotifyCommand#DONE}), so a restarted service runs again exactly the commands that were due and had not succeeded
 * (the engine owes TRANSFERRED and ERROR to its listeners after a restart, and this is one). MODIFIED runs the
 * command for state changes and added files (not for progress or properties), once. At most
 * {@link #CONCURRENT} programs run at once, as BITS allows four notifications per user.
 */
final class NotifyRunner implements AutoCloseable {
    static final int MAX_RUNS = 8;
    static final int CONCURRENT = 4;
    private static final System.Logger LOG = System.getLogger(NotifyRunner.class.getName());
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration MAX_DELAY = Duration.ofHours(1);

    private final Engine engine;
    private final String user;
    private final Semaphore slots = new Semaphore(CONCURRENT);
    /** A virtual thread: it waits nearly all the time, and an idle service keeps no platform thread for it. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("jbits-notify-timer").factory());
    private final Subscription subscription;
    private volatile boolean closed;

    NotifyRunner(Engine engine, String user) {
        this.engine = engine;
        this.user = user;
        // Not one event per file of a large job: a notification command never runs for FILE_TRANSFERRED.
        this.subscription = engine.addListener(null, Duration.ofDays(1), JobListener.of(EnumSet.of(
                JobEvent.Kind.TRANSFERRED, JobEvent.Kind.ERROR, JobEvent.Kind.MODIFIED), this::onEvent));
    }

    private void onEvent(JobEvent e) {
        if (e.isProgress() || e.kind() == JobEvent.Kind.FILE_TRANSFERRED
                || e.kind() == JobEvent.Kind.MODIFIED && e.change() == JobEvent.Change.PROPERTIES) {
            return;
        }
        NotifyCommand cmd;
        try {
            cmd = NotifyCommand.from(engine.options(e.jobId()));
        } catch (JbitsException gone) {
            return;
        }
        if (cmd == null || !cmd.runsOn(e.kind())) {
            return;
        }
        if (e.isSticky() && doneKey(e).equals(NotifyCommand.done(engine.options(e.jobId())))) {
            return; // it ran and succeeded for this very event before a restart
        }
        Thread.ofVirtual().name("jbits-notify").start(() -> attempt(e, 1));
    }

    /** Runs the command for an event, and schedules the next run when it fails and the event still holds. */
    private void attempt(JobEvent e, int run) {
        if (closed) {
            return;
        }
        JobInfo job;
        NotifyCommand cmd;
        try {
            job = engine.job(e.jobId());
            cmd = NotifyCommand.from(engine.options(e.jobId()));
        } catch (JbitsException gone) {
            return;
        }
        if (cmd == null || !cmd.runsOn(e.kind()) || e.isSticky() && job.state() != e.state()) {
            return; // cleared, or the owner completed, cancelled or resumed the job meanwhile
        }
        if (!user.equals(job.owner())) {
            LOG.log(Level.WARNING, "job {0}: not running its notify command: the job belongs to {1}, this service "
                    + "runs as {2}", e.jobId(), job.owner(), user);
            return;
        }
        int exit = execute(cmd, e);
        if (exit == 0) {
            if (e.isSticky()) {
                markDone(e);
            }
            return;
        }
        if (!e.isSticky() || run >= MAX_RUNS) {
            LOG.log(Level.WARNING, "job {0}: notify command exited {1,number,#} ({2,number,#} run{3}); giving up",
                    e.jobId(), exit, run, run == 1 ? "" : "s");
            return;
        }
        Duration delay = job.minRetryDelay().multipliedBy(1L << Math.min(run - 1, 20));
        if (delay.compareTo(MAX_DELAY) > 0) {
            delay = MAX_DELAY;
        }
        LOG.log(Level.INFO, "job {0}: notify command exited {1,number,#}; running it again in {2,number,#} s",
                e.jobId(), exit, delay.toSeconds());
        timer.schedule(() -> Thread.ofVirtual().name("jbits-notify").start(() -> attempt(e, run + 1)),
                delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs the program once; its exit status, or -1 when it could not run or ran too long. */
    private int execute(NotifyCommand cmd, JobEvent e) {
        List<String> argv = new ArrayList<>();
        for (String word : cmd.argv()) {
            argv.add(word.replace("{job}", e.jobId()).replace("{event}", e.kind().label()));
        }
        try {
            slots.acquire();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return -1;
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(argv);
            pb.environment().put("JBITS_JOB_ID", e.jobId());
            pb.environment().put("JBITS_EVENT", e.kind().label());
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            if (!p.waitFor(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                LOG.log(Level.WARNING, "job {0}: notify command ran longer than {1,number,#} s and was killed",
                        e.jobId(), RUN_TIMEOUT.toSeconds());
                return -1;
            }
            return p.exitValue();
        } catch (IOException failure) {
            LOG.log(Level.WARNING, "job {0}: cannot run notify command {1}: {2}", e.jobId(), argv.get(0),
                    failure.getMessage());
            return -1;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            slots.release();
        }
    }

    private void markDone(JobEvent e) {
        try {
            engine.updateOptions(e.jobId(), o -> NotifyCommand.withDone(o, doneKey(e)));
        } catch (JbitsException finalOrGone) {
            // a completed or cancelled job owes nothing any more
        }
    }

    /**
     * What identifies an event across restarts (its number does not): the kind and, for TRANSFERRED, when the
     * job got there; for ERROR, the job's state change count is not kept, so the error's code and the time. The
     * time is taken to the millisecond, as the store keeps it: the clock's finer time before a restart must give the
     * same key as the stored time after it, or a command that succeeded runs again after every restart.
     */
    private String doneKey(JobEvent e) {
        JobInfo job = engine.job(e.jobId());
        return switch (e.kind()) {
            case TRANSFERRED -> "transferred@" + (job.transferCompleted() == null ? null
                    : job.transferCompleted().truncatedTo(ChronoUnit.MILLIS));
            case ERROR -> "error@" + job.errorCount() + "@" + (job.error() == null ? "" : job.error().hexCode());
            case MODIFIED, FILE_TRANSFERRED -> e.kind().label();
        };
    }

    @Override
    public void close() {
        closed = true;
        subscription.close();
        timer.shutdownNow();
    }
}
