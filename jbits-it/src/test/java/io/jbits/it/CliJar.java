package io.jbits.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The jbits command as the build makes it: {@code jbits-cli/target/jbits.jar}, whose manifest names its libraries
 * in {@code lib/} beside it, run with the launchers' start-up flags and a JDK 25 AOT cache of its own, made once
 * per test JVM by the same training as the launchers' ({@code io.jbits.cli.StartupTraining}, docs/startup.md).
 *
 * <p>The jar's path comes from the system property {@code jbits.cli.jar}, which the module's build sets. The
 * command runs as a user runs it, not on this JVM's class path with the tests' libraries; and each call starts in a
 * tenth of a second instead of half a second, which is most of what the end-to-end tests spend.
 */
final class CliJar {
    /** The launchers' flags for a short-lived client (bin/jbits, jbits-dist/src/bin/jbits). */
    private static final List<String> CLIENT = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:-UsePerfData", "-Xlog:cds=off", "-Xlog:aot=off", "-Djdk.reflect.useNativeAccessorOnly=true",
            "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0", "-XX:-AOTReplayTraining");
    private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(2);

    private static Path jar;
    private static Path dir;
    private static Optional<Path> cache;

    private CliJar() {
    }

    /** The jar, checked once: a missing one fails the test with what to build. */
    static synchronized Path jar() {
        if (jar == null) {
            jar = locate();
        }
        return jar;
    }

    private static Path locate() {
        String property = System.getProperty("jbits.cli.jar");
        if (property == null || property.isBlank()) {
            throw new AssertionError("the system property jbits.cli.jar is not set: run the end-to-end tests "
                    + "through Maven (jbits-it/pom.xml sets it)");
        }
        Path found = Path.of(property).toAbsolutePath().normalize();
        if (!Files.isRegularFile(found) || !Files.isDirectory(found.resolveSibling("lib"))) {
            throw new AssertionError(found + " or its lib/ is missing: build it first (./mvnw install -DskipTests)");
        }
        return found;
    }

    /** The class path that runs the command: the jar alone (its manifest names the rest). */
    static String classPath() {
        return jar().toString();
    }

    /**
     * The JVM's options for {@code jbits ARGS} on {@code classPath}, as the packaged launcher chooses them:
     * {@code doctor} and the {@code service} verbs that open the database themselves get native access and no
     * cache (the option keeps the JVM from using one); every other verb starts with the cache when it runs on the
     * jar's own class path (the JVM checks it against the cache's).
     */
    static List<String> options(String classPath, String... args) {
        List<String> options = new ArrayList<>(CLIENT);
        String verb = args.length > 0 ? args[0] : "";
        String second = args.length > 1 ? args[1] : "";
        boolean quickService = verb.equals("service") && List.of("start", "stop", "status").contains(second);
        if (verb.equals("doctor") || (verb.equals("service") && !quickService)) {
            options.add("--enable-native-access=ALL-UNNAMED");
        } else if (classPath.equals(classPath())) {
            cache().ifPresent(c -> options.add("-XX:AOTCache=" + c));
        }
        return options;
    }

    /**
     * The cache directory ({@code XDG_CACHE_HOME}) of the commands and of the services they start, shared by the
     * tests of this JVM and removed when it exits: the service's class-data archive is made there once, not in the
     * home of the user who runs the tests.
     */
    static Path cacheHome() {
        return dir().resolve("cache");
    }

    private static synchronized Path dir() {
        if (dir == null) {
            try {
                Path made = Files.createTempDirectory(Path.of("/tmp"), "jbits-it-cli-");
                Files.createDirectory(made.resolve("cache"));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> Os.deleteTree(made)));
                dir = made;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make the commands' cache directory under /tmp", e);
            }
        }
        return dir;
    }

    /**
     * The cache, made on first use and kept for this JVM's life; empty, with the reason on standard error, when the
     * training fails (the commands then run without it, only slower).
     */
    private static synchronized Optional<Path> cache() {
        if (cache == null) {
            cache = train(dir().resolve("cli.aot"));
        }
        return cache;
    }

    private static Optional<Path> train(Path out) {
        try {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(CLIENT);
            command.addAll(List.of("-XX:AOTCacheOutput=" + out, "-cp", classPath(), "io.jbits.cli.StartupTraining"));
            ProcessBuilder builder = new ProcessBuilder().directory(out.getParent().toFile());
            Os.Result trained = Os.run(command, TRAINING_TIMEOUT, builder);
            if (trained.ok() && Files.isRegularFile(out) && Files.size(out) > 0) {
                return Optional.of(out);
            }
            System.err.println("CliJar: no start-up cache, the commands run without one: " + trained);
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the command's start-up cache " + out, e);
        }
    }
}
