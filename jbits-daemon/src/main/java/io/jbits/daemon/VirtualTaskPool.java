package io.jbits.daemon;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.eclipse.jetty.util.thread.TryExecutor;

/**
 * A Jetty thread pool that runs every task on a virtual thread of its own and holds no platform thread at all.
 *
 * <p>Jetty's own {@code VirtualThreadPool} does the same but also starts a platform "keep-alive" thread for as long
 * as it runs, only to keep the JVM alive (virtual threads are daemon threads); the service's main thread already
 * waits for the stop request, so that thread would be one more for nothing. The selector loop runs here too: on a
 * virtual thread, JDK 25's epoll selector parks the thread instead of blocking its carrier.
 */
final class VirtualTaskPool extends AbstractLifeCycle implements ThreadPool, TryExecutor,
        VirtualThreads.Configurable {
    private final ThreadFactory threads;
    private final CountDownLatch stopped = new CountDownLatch(1);

    VirtualTaskPool(String name) {
        this.threads = Thread.ofVirtual().name(name + "-", 0).factory();
    }

    /**
     * Jetty's scheduler (idle timeouts and the like) on a virtual thread, where Jetty's default keeps a platform
     * thread parked for the life of the server.
     */
    static Scheduler scheduler(String name) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                Thread.ofVirtual().name(name + "-scheduler").factory());
        executor.setRemoveOnCancelPolicy(true); // idle timeouts are cancelled far more often than they fire
        return new ScheduledExecutorScheduler(executor) {
            @Override
            protected void doStop() throws Exception {
                super.doStop();
                executor.shutdownNow(); // Jetty stops only the executors it made itself
            }
        };
    }

    @Override
    public void execute(Runnable task) {
        if (isStopped()) {
            throw new RejectedExecutionException("the thread pool is stopped");
        }
        threads.newThread(task).start();
    }

    @Override
    public boolean tryExecute(Runnable task) {
        try {
            execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    protected void doStop() throws Exception {
        stopped.countDown();
        super.doStop();
    }

    @Override
    public void join() throws InterruptedException {
        stopped.await();
    }

    /** Virtual threads are not counted: there is no pool of them to run low. */
    @Override
    public int getThreads() {
        return 0;
    }

    @Override
    public int getIdleThreads() {
        return 0;
    }

    @Override
    public boolean isLowOnThreads() {
        return false;
    }

    /** Every task already runs on a virtual thread, so a task that may block is run the same way. */
    @Override
    public Executor getVirtualThreadsExecutor() {
        return this;
    }
}
