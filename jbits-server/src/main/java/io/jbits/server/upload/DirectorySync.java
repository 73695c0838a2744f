package io.jbits.server.upload;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Forces a directory that many sessions change (the session directory, an upload directory) once for all the
 * packets that wait for it at the same time: a group commit.
 *
 * <p>Why it keeps the promise: a caller asks only after its change (a create, a rename) is made, and takes a ticket
 * then; a force covers every ticket taken before it started, because fsync on a directory makes durable every entry
 * change made before the call. So each caller returns only after a force that started after its own change, exactly
 * as if it had forced the directory itself; while one force runs, the callers that arrive wait for it to end and
 * share the next one instead of queueing one each. One entry per directory exists only while someone uses it.
 */
final class DirectorySync {

    /** The group state of one directory. */
    private static final class Group {
        int users;
        long requested;
        long durable;
        boolean running;
    }

    private final ConcurrentHashMap<Path, Group> groups = new ConcurrentHashMap<>();
    private final Consumer<Path> force;

    /** Groups the calls of {@code force}, which makes a directory's entries durable (it reports its own failures). */
    DirectorySync(Consumer<Path> force) {
        this.force = force;
    }

    /** Returns once a force of {@code directory} that started after this call began has ended. */
    void sync(Path directory) {
        Group group = groups.compute(directory, (d, g) -> {
            Group current = g == null ? new Group() : g;
            current.users++;
            return current;
        });
        try {
            await(directory, group);
        } finally {
            groups.compute(directory, (d, g) -> --g.users == 0 ? null : g);
        }
    }

    private void await(Path directory, Group group) {
        long ticket;
        synchronized (group) {
            ticket = ++group.requested;
        }
        boolean interrupted = false;
        try {
            while (true) {
                long covers;
                synchronized (group) {
                    while (group.durable < ticket && group.running) {
                        try {
                            group.wait();
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                    if (group.durable >= ticket) {
                        return;
                    }
                    group.running = true;
                    covers = group.requested;
                }
                boolean forced = false;
                try {
                    force.accept(directory);
                    forced = true;
                } finally {
                    synchronized (group) {
                        group.running = false;
                        if (forced) {
                            group.durable = Math.max(group.durable, covers);
                        }
                        group.notifyAll(); // after a failure, the next waiter forces again
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The number of directories in use now (for tests: entries do not outlive their callers). */
    int directoriesInUse() {
        return groups.size();
    }
}
