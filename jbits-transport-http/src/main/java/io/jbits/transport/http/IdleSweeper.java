package io.jbits.transport.http;

import java.io.Closeable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.util.TimeValue;

/**
 * Closes the pooled connections that stayed idle too long, on a virtual thread that sleeps for good while the pool
 * holds no connection.
 *
 * <p>HttpClient's own evictor ({@code evictIdleConnections}) keeps a platform thread for each client and wakes it
 * every interval forever, so an idle service kept two threads and kept waking the virtual-thread scheduler for
 * nothing. This one parks until {@link #connectionMade()} says the pool has something to sweep again.
 */
final class IdleSweeper implements Closeable {
    private final TimeValue maxIdle;
    private final Thread thread;
    private volatile PoolingHttpClientConnectionManager pool;
    private volatile boolean closed;

    IdleSweeper(TimeValue maxIdle) {
        this.maxIdle = maxIdle;
        this.thread = Thread.ofVirtual().name("jbits-http-idle-sweeper").unstarted(this::loop);
    }

    /** Starts sweeping {@code manager}. */
    void start(PoolingHttpClientConnectionManager manager) {
        this.pool = manager;
        thread.start();
    }

    /** Called for each new connection: the pool has something to sweep. */
    void connectionMade() {
        LockSupport.unpark(thread);
    }

    private void loop() {
        long sleepNanos = Math.max(TimeUnit.SECONDS.toNanos(1), maxIdle.toNanoseconds() / 4);
        while (!closed) {
            PoolingHttpClientConnectionManager manager = pool;
            if (manager.isClosed()) {
                return;
            }
            PoolStats stats = manager.getTotalStats();
            if (stats.getAvailable() + stats.getLeased() == 0) {
                LockSupport.park(this); // until a connection is made, or close
            } else {
                LockSupport.parkNanos(this, sleepNanos);
                manager.closeExpired();
                manager.closeIdle(maxIdle);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
