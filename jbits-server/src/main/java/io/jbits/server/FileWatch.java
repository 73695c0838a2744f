package io.jbits.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.Scanner;

/**
 * Runs an action when any of a few files changes on disk (a renewed certificate, an edited user or configuration
 * file): Jetty's {@link Scanner}, which reports a file once its time and size have settled, so a file still being
 * written is not read half-way. Add it to the server as a bean; it runs while the server does.
 */
public final class FileWatch {

    /** How often the files are looked at unless a server says otherwise. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

    private FileWatch() {
    }

    /**
     * A scanner that calls {@code onChange} after a change to any of {@code files} (every second at the least).
     * A change that the action cannot use is the action's to report; the scanner goes on watching.
     */
    public static Scanner of(List<Path> files, Duration interval, Runnable onChange) {
        Scanner scanner = new Scanner(null, false);
        scanner.setScanInterval((int) Math.max(1, interval.toSeconds()));
        scanner.setReportExistingFilesOnStartup(false);
        for (Path file : files) {
            scanner.addFile(file.toAbsolutePath());
        }
        scanner.addListener(new Scanner.BulkListener() {
            @Override
            public void pathsChanged(Map<Path, Scanner.Notification> changes) {
                onChange.run();
            }
        });
        return scanner;
    }
}
