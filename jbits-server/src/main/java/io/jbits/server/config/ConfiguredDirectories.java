package io.jbits.server.config;

import io.jbits.server.FileWatch;
import io.jbits.server.upload.BitsUploadHandler;
import io.jbits.server.upload.UploadEvents;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The upload directories of a configuration file ({@link ConfigFile}), each a {@link BitsUploadHandler} below its
 * URL prefix (the longest prefix wins), and a reload when the file changes or on {@link #reload()} (SIGHUP).
 *
 * <p>A reload keeps every session: a directory with the same URL, upload and session directory keeps its handler
 * and takes the new settings; new directories start; removed ones stop, their sessions left on disk for the day
 * they come back. A file that cannot be read, or a new directory that cannot start, changes nothing and is logged.
 */
public final class ConfiguredDirectories extends Handler.Abstract {

    private static final System.Logger LOG = System.getLogger(ConfiguredDirectories.class.getName());

    private final Path file;
    private final UploadEvents events;
    private final boolean authenticated;
    private volatile List<BitsUploadHandler> handlers = List.of();
    private volatile List<Directory> directories;

    private ConfiguredDirectories(Path file, List<Directory> directories, UploadEvents events,
            boolean authenticated) {
        super(InvocationType.BLOCKING);
        this.file = file;
        this.directories = directories;
        this.events = events;
        this.authenticated = authenticated;
    }

    /**
     * Reads {@code file}; its directories start with the server, and it is read again every {@code watchInterval}
     * that it changed.
     *
     * @throws IOException naming the file, the line and the fault
     */
    public static ConfiguredDirectories load(Path file, UploadEvents events, Duration watchInterval)
            throws IOException {
        return load(file, events, watchInterval, false);
    }

    /**
     * The same for a server that knows its users ({@code authenticated}): only then may a directory store its
     * uploads by user ({@code {user}} in its path).
     *
     * @throws IOException naming the file, the line and the fault
     */
    public static ConfiguredDirectories load(Path file, UploadEvents events, Duration watchInterval,
            boolean authenticated) throws IOException {
        Path absolute = file.toAbsolutePath();
        ConfiguredDirectories configured = new ConfiguredDirectories(absolute, ConfigFile.read(absolute,
                authenticated), events, authenticated);
        configured.addBean(FileWatch.of(List.of(absolute), watchInterval, configured::reload));
        return configured;
    }

    /** The open sessions of every directory. */
    public int openSessions() {
        return handlers.stream().mapToInt(BitsUploadHandler::openSessions).sum();
    }

    /** The URL prefixes served now, longest first. */
    public List<String> urlPrefixes() {
        return handlers.stream().map(BitsUploadHandler::urlPrefix).toList();
    }

    @Override
    protected void doStart() throws Exception {
        List<BitsUploadHandler> started = new ArrayList<>();
        for (Directory directory : directories) {
            started.add(start(directory));
        }
        handlers = sorted(started);
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        for (BitsUploadHandler handler : handlers) {
            LifeCycle.stop(handler);
        }
        super.doStop();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        for (BitsUploadHandler handler : handlers) {
            if (handler.handle(request, response, callback)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the file again and applies it; on any failure the directories and settings in use stay.
     *
     * @return true when the new configuration is in use
     */
    public synchronized boolean reload() {
        if (!isStarted()) {
            return false;
        }
        List<Directory> loaded;
        try {
            loaded = ConfigFile.read(file, authenticated);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Keeping the configuration in use: {0}", e.getMessage());
            return false;
        }
        Map<String, BitsUploadHandler> running = new HashMap<>();
        Map<String, Directory> runningDirectories = new HashMap<>();
        for (int i = 0; i < directories.size(); i++) {
            runningDirectories.put(directories.get(i).identity(), directories.get(i));
        }
        for (BitsUploadHandler handler : handlers) {
            for (Directory d : directories) {
                if (d.urlPrefix().equals(handler.urlPrefix())) {
                    running.put(d.identity(), handler);
                }
            }
        }
        List<BitsUploadHandler> fresh = new ArrayList<>();
        List<BitsUploadHandler> next = new ArrayList<>();
        try {
            for (Directory directory : loaded) {
                BitsUploadHandler kept = running.get(directory.identity());
                if (kept == null) {
                    BitsUploadHandler started = start(directory);
                    fresh.add(started);
                    next.add(started);
                } else {
                    next.add(kept);
                }
            }
        } catch (Exception e) {
            fresh.forEach(h -> LifeCycle.stop(h));
            LOG.log(Level.WARNING, "Keeping the configuration in use: {0}", e.getMessage());
            return false;
        }
        for (Directory directory : loaded) {
            BitsUploadHandler kept = running.get(directory.identity());
            if (kept != null && !fresh.contains(kept)) {
                Directory before = runningDirectories.get(directory.identity());
                if (!before.equals(directory)) {
                    kept.reconfigure(directory.upload());
                    access(kept, directory);
                }
            }
        }
        List<BitsUploadHandler> removed = new ArrayList<>(handlers);
        removed.removeAll(next);
        handlers = sorted(next);
        directories = loaded;
        removed.forEach(h -> LifeCycle.stop(h));
        LOG.log(Level.INFO, "Read {0} again: {1} director(ies), {2} new, {3} removed", file,
                Integer.toString(loaded.size()), Integer.toString(fresh.size()), Integer.toString(removed.size()));
        return true;
    }

    private BitsUploadHandler start(Directory directory) throws Exception {
        BitsUploadHandler handler = new BitsUploadHandler(directory.upload(), events, directory.urlPrefix());
        access(handler, directory);
        handler.setServer(getServer());
        handler.start();
        return handler;
    }

    /** Who may upload to {@code directory}, where their uploads go, and whether GET reads them. */
    private static void access(BitsUploadHandler handler, Directory directory) {
        handler.allowUsers(allowed(directory.users()));
        handler.storeByUser(directory.userPath());
        handler.allowGet(directory.allowGet());
    }

    private static java.util.function.Predicate<String> allowed(Set<String> users) {
        return users == null ? user -> true : users::contains;
    }

    private static List<BitsUploadHandler> sorted(List<BitsUploadHandler> list) {
        List<BitsUploadHandler> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparingInt((BitsUploadHandler h) -> h.urlPrefix().length()).reversed());
        return List.copyOf(copy);
    }
}
