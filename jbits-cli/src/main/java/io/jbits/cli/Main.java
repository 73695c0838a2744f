package io.jbits.cli;

import io.jbits.api.BitsCodes;
import io.jbits.api.JbitsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/**
 * The {@code jbits} command. Exit status: 0 on success; 1 for a job that ended in ERROR or a refused request; 2 for
 * usage errors; 3 when the service cannot be reached or started; 130 after Ctrl-C. Failures are one line on stderr
 * ({@code jbits: <message>}); {@code JBITS_DEBUG=1} adds the stack trace.
 */
public final class Main {
    static final int EXIT_REFUSED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_NO_SERVICE = 3;

    private Main() {
    }

    public static void main(String[] args) {
        // jbits serve logs through slf4j-simple: one line per event on stderr, Jetty's chatter only when it matters.
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        // Jetty's queues ask JMX for the pointer size unless told (200 classes, a tenth of a short run's start).
        System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", "16");
        nameTheSelectorProvider();
        int status;
        boolean quick;
        try (Services services = new LocalServices()) {
            Cli cli = Cli.system(services);
            Integer quickStatus = runQuick(args, cli);
            quick = quickStatus != null;
            status = quick ? quickStatus : PicocliLine.run(args, cli);
        }
        /*
         * System.exit first asks the platform's logger finder whether to log the exit (JDK 17+), which finds and
         * configures a logging backend: a fifth of 'jbits version'. A quick verb that succeeded leaves only daemon
         * threads (the client's), so returning ends the JVM with status 0 the same way, without that.
         */
        if (!quick || status != 0 && shuttingDown()) {
            System.exit(status);
        }
        System.out.flush();
        if (status != 0) {
            /*
             * A quick verb that failed ends with its status by halt, not exit, for the same reason: the logging
             * backend's set-up was 0.15 s of a refused 'jbits info'. Halting skips the shutdown hooks, and a quick
             * verb leaves none: transfer's and upload's Ctrl-C hooks are removed before they return. Once a Ctrl-C
             * has started the JVM's shutdown, exit (above) waits for those hooks instead.
             */
            System.err.flush();
            Runtime.getRuntime().halt(status);
        }
    }

    /** True once the JVM has begun to shut down (a Ctrl-C runs the shutdown hooks). */
    private static boolean shuttingDown() {
        try {
            Runtime.getRuntime().removeShutdownHook(Thread.ofPlatform().unstarted(() -> { }));
            return false;
        } catch (IllegalStateException shutdownInProgress) {
            return true;
        }
    }

    /**
     * Names the JDK's own NIO provider for this system, so that the first socket does not make the JDK look for
     * another one with a ServiceLoader: that reads every jar of the class path (48, most of them the service's), a
     * third of a short command's CPU. The provider named is the very class the JDK picks by default (it is
     * instantiated by the JDK, inside java.base); on a system or JDK without it, or when the caller named one,
     * nothing changes.
     */
    private static void nameTheSelectorProvider() {
        String property = "java.nio.channels.spi.SelectorProvider";
        String os = System.getProperty("os.name", "");
        String name = os.equals("Linux") ? "sun.nio.ch.EPollSelectorProvider"
                : os.startsWith("Mac") ? "sun.nio.ch.KQueueSelectorProvider" : null;
        if (name == null || System.getProperty(property) != null) {
            return;
        }
        try {
            Class<?> provider = Class.forName(name, false, null);
            if (java.nio.channels.spi.SelectorProvider.class.isAssignableFrom(provider)) {
                System.setProperty(property, name);
            }
        } catch (ClassNotFoundException | LinkageError e) {
            // another JDK: let it find its provider the usual way
        }
    }

    /** Runs one command line against a CLI context and returns the exit status. */
    static int run(String[] args, Cli cli) {
        Integer quick = runQuick(args, cli);
        return quick != null ? quick : PicocliLine.run(args, cli);
    }

    /** Runs a line {@link QuickVerbs} takes, without picocli; null when picocli must parse it. */
    private static Integer runQuick(String[] args, Cli cli) {
        Callable<Integer> quick = QuickVerbs.parse(args, cli);
        if (quick == null) {
            return null;
        }
        try {
            return quick.call();
        } catch (Exception e) {
            debug(cli, e);
            return report(cli, e);
        }
    }

    /** Prints a failure as one line and returns its exit status. */
    static int report(Cli cli, Exception e) {
        int status;
        String message;
        // An if-chain, not a pattern switch: the switch's bootstrap spins a class at run time, which no start-up
        // cache keeps, and every refused command ran it
        if (e instanceof CliFailure f) {
            status = f.exitCode();
            message = f.getMessage();
        } else if (e instanceof JbitsException j) {
            status = EXIT_REFUSED;
            message = j.getMessage() + " (" + BitsCodes.hex(j.code()) + " " + BitsCodes.name(j.code()) + ")";
        } else if (e instanceof IOException io) {
            status = EXIT_NO_SERVICE;
            message = io.getMessage();
        } else if (e instanceof UncheckedIOException io) {
            status = EXIT_NO_SERVICE;
            message = io.getCause().getMessage();
        } else if (e instanceof InterruptedException) {
            status = 130;
            message = "interrupted";
        } else {
            status = EXIT_REFUSED;
            message = e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        // Launch failures carry the end of the service log on their own lines; everything else is one line.
        cli.err().println("jbits: " + (status == EXIT_NO_SERVICE ? message : oneLine(message)));
        return status;
    }

    static String oneLine(String s) {
        return s.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    static void debug(Cli cli, Exception e) {
        if ("1".equals(System.getenv("JBITS_DEBUG"))) {
            e.printStackTrace(cli.err());
        }
    }
}
