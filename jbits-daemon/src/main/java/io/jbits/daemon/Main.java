package io.jbits.daemon;

import io.jbits.rest.ServicePaths;

/**
 * The jbits service of one user: {@code java -cp … io.jbits.daemon.Main}. Takes no arguments; the state directory
 * and socket come from the environment ({@code JBITS_HOME}, XDG directories) as {@link ServicePaths} says.
 *
 * <p>Exits 0 after {@code POST /v1/service/stop} or SIGTERM (both checkpoint every job first), and also at once
 * when another service already runs on the same state directory; exits 1 when it cannot start.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        configureLogging();
        if (args.length > 0) {
            System.err.println("jbits service: no arguments expected, got " + String.join(" ", args));
            System.exit(2);
        }
        System.exit(Daemon.run(ServicePaths.fromEnvironment()));
    }

    /**
     * slf4j-simple reads these once, at the first logger: one line per event, with a timestamp, to stdout. The
     * daemon and jbits-core log through {@link System.Logger}, which slf4j-jdk-platform-logging hands to it.
     */
    private static void configureLogging() {
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.out");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "true");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
        setIfAbsent("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.hc", "warn");
        // smbj warns with a stack trace for every session it cannot close on a dead connection; jbits reports the
        // failure itself, once, on the job.
        setIfAbsent("org.slf4j.simpleLogger.log.com.hierynomus", "error");
        // Libraries that log through java.util.logging: the same one-line shape (on stderr, which goes to the log).
        setIfAbsent("java.util.logging.SimpleFormatter.format",
                "%1$tY-%1$tm-%1$tdT%1$tH:%1$tM:%1$tS.%1$tL%1$tz [%3$s] %4$s %2$s - %5$s%6$s%n");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
