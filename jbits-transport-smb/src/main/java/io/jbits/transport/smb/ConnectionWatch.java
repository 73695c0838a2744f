package io.jbits.transport.smb;

import com.hierynomus.smbj.connection.Connection;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Ends a blocking SMB call soon after its connection is gone. smbj sees a server that died at once (its reader
 * gets the end of the stream) but can leave a read or write it was waiting on to the request timeout, 60 s, so a
 * job stayed TRANSFERRING for a minute after its server was killed. While a call runs, the watch looks at the
 * connection every second and interrupts the caller once it is gone; the call then fails as a lost connection. No
 * interrupt outlives the call.
 */
final class ConnectionWatch {
    private static final long PERIOD_MILLIS = 1_000;
    private static final ScheduledThreadPoolExecutor CLOCK = clock();

    private final Thread caller;
    private final Connection connection;
    private boolean running = true;
    private boolean interrupted;

    private ConnectionWatch(Thread caller, Connection connection) {
        this.caller = caller;
        this.connection = connection;
    }

    /** Runs {@code call} on this thread, interrupting it if {@code connection} is found gone meanwhile. */
    static <T> T during(Connection connection, Supplier<T> call) {
        ConnectionWatch watch = new ConnectionWatch(Thread.currentThread(), connection);
        ScheduledFuture<?> checks = CLOCK.scheduleWithFixedDelay(watch::check, PERIOD_MILLIS, PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
        try {
            return call.get();
        } finally {
            checks.cancel(false);
            watch.end();
        }
    }

    private synchronized void check() {
        if (running && !connection.isConnected()) {
            interrupted = true;
            caller.interrupt();
        }
    }

    private synchronized void end() {
        running = false;
        if (interrupted) {
            Thread.interrupted(); // the caller's thread goes on to write files: no interrupt may stay set
        }
    }

    private static ScheduledThreadPoolExecutor clock() {
        ScheduledThreadPoolExecutor clock = new ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().name("jbits-smb-watch").daemon().unstarted(r));
        clock.setRemoveOnCancelPolicy(true);
        return clock;
    }
}
