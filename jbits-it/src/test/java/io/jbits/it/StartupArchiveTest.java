package io.jbits.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AOT cache of {@code bin/jbits} (made in the background after the first command), the class-data archive of the
 * service it starts, and the service's copy of SQLite's native library, in the user's cache directory: made on first
 * use, used afterwards, and never able to break a command: a rebuilt jar, a file that is not a cache and a cache
 * directory that cannot be written all leave every command working, with nothing on stderr.
 *
 * <p>Runs bin/jbits of a copy of the clone's launcher whose jar is a copy of the built one (its libraries linked),
 * so the test can rebuild it by touching it without touching the real build.
 */
@Tag("e2e")
class StartupArchiveTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;
    private Path root;
    private Path jar;
    private Path home;
    private Path cache;

    @BeforeEach
    void copyTheLauncher() throws IOException {
        Path clone = Path.of(System.getProperty("user.dir")).getParent();
        Path built = clone.resolve("jbits-cli/target");
        root = tmp.resolve("clone");
        Files.createDirectories(root.resolve("bin"));
        for (String script : List.of("jbits", "find-jdk")) {
            Files.copy(clone.resolve("bin").resolve(script), root.resolve("bin").resolve(script));
        }
        Path target = Files.createDirectories(root.resolve("jbits-cli/target"));
        jar = Files.copy(built.resolve("jbits.jar"), target.resolve("jbits.jar"));
        Files.createSymbolicLink(target.resolve("lib"), built.resolve("lib"));
        home = Files.createTempDirectory(Path.of("/tmp"), "jbits-jsa-");
        cache = tmp.resolve("cache");
    }

    @AfterEach
    void stopTheService() throws IOException, InterruptedException {
        if (Files.isDirectory(cache.resolve("jbits"))) {
            cliCaches(); // a training still running would write into the directory being removed
        }
        jbits(cache, "service", "stop");
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Os.Result jbits(Path cacheHome, String... args) {
        return jbits(new ProcessBuilder(), cacheHome, args);
    }

    private Os.Result jbits(ProcessBuilder builder, Path cacheHome, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(root.resolve("bin/jbits").toString()));
        command.addAll(List.of(args));
        builder.environment().put("JBITS_HOME", home.toString());
        builder.environment().put("XDG_CACHE_HOME", cacheHome.toString());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        return Os.run(command, TIMEOUT, builder);
    }

    /** {@code jbits list --json} must print an empty list and nothing on stderr. */
    private void listsCleanly(Path cacheHome) {
        Os.Result r = jbits(cacheHome, "list", "--json");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("[\n]\n", r.stdout(), r.toString());
        assertEquals("", r.stderr(), r.toString());
    }

    /** The service's class-data archives ({@code daemon-*.jsa}) or the CLI's AOT caches ({@code cli-*.aot}). */
    private List<Path> archives(String prefix) throws IOException {
        Path dir = cache.resolve("jbits");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        String suffix = prefix.equals("cli-") ? ".aot" : ".jsa";
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    /**
     * The CLI's AOT caches once its background training (started by the command before) has ended: no
     * {@code .making} directory left, at most {@link #TIMEOUT}.
     */
    private List<Path> cliCaches() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean making;
            try (Stream<Path> files = Files.list(cache.resolve("jbits"))) {
                making = files.anyMatch(p -> p.getFileName().toString().endsWith(".making"));
            }
            if (!making) {
                return archives("cli-");
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the CLI's AOT cache was still being made after " + TIMEOUT);
    }

    private String serviceCommandLine() throws IOException {
        String pid = Files.readString(home.resolve("service.pid")).strip();
        return Files.readString(Path.of("/proc", pid, "cmdline")).replace('\0', ' ');
    }

    @Test
    void archivesAreMadeOnceThenUsed() throws Exception {
        listsCleanly(cache);                          // starts the service; the CLI's cache is made after it
        List<Path> cli = cliCaches();
        assertEquals(1, cli.size(), "the CLI's AOT cache: " + cli);
        assertTrue(serviceCommandLine().contains("-XX:ArchiveClassesAtExit="), serviceCommandLine());
        assertEquals(0, jbits(cache, "service", "stop").exitCode());
        assertEquals(0, jbits(cache, "service", "start").exitCode());
        assertEquals(1, archives("daemon-").size(), "the service's archive, recorded as it stopped");
        assertTrue(serviceCommandLine().contains("-XX:SharedArchiveFile=" + archives("daemon-").getFirst()),
                serviceCommandLine());
        FileTime made = Files.getLastModifiedTime(cli.getFirst());
        listsCleanly(cache);
        assertEquals(cli, archives("cli-"));
        assertEquals(made, Files.getLastModifiedTime(cli.getFirst()), "used, not made again");
    }

    /** {@code jbits version}'s own output, which must come with nothing on stderr. */
    private String version() {
        Os.Result r = jbits(cache, "version");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("", r.stderr(), r.toString());
        assertTrue(r.stdout().startsWith("jbits "), r.toString());
        return r.stdout();
    }

    @Test
    void versionHasACacheOfItsOwnAndARebuiltJarReplacesBoth() throws Exception {
        String printed = version();
        List<Path> first = cliCaches();
        assertEquals(1, first.size(), first.toString());
        Path versionCache = first.getFirst();
        assertTrue(versionCache.getFileName().toString().endsWith("-version.aot"), first.toString());

        listsCleanly(cache);                          // the quick verbs' cache, beside version's
        List<Path> both = cliCaches();
        assertEquals(2, both.size(), both.toString());
        assertTrue(both.contains(versionCache), both.toString());

        FileTime made = Files.getLastModifiedTime(versionCache);
        Path classes = tmp.resolve("classes.log");
        ProcessBuilder logging = new ProcessBuilder();
        logging.environment().put("JDK_JAVA_OPTIONS", "-Xlog:class+load:file=" + classes);
        Os.Result logged = jbits(logging, cache, "version");
        assertEquals(0, logged.exitCode(), logged.toString());
        assertEquals(printed, logged.stdout());
        assertTrue(Files.readString(classes).contains("io.jbits.cli.Main source: shared objects file"),
                "version's classes come from its cache");
        assertEquals(printed, version());
        assertEquals(made, Files.getLastModifiedTime(versionCache), "used, not made again");

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        listsCleanly(cache);                          // a new jar: its quick verbs' cache; both old ones removed
        List<Path> rebuilt = cliCaches();
        assertEquals(1, rebuilt.size(), rebuilt.toString());
        assertFalse(rebuilt.getFirst().getFileName().toString().endsWith("-version.aot"), rebuilt.toString());
        assertFalse(both.contains(rebuilt.getFirst()), rebuilt.toString());
        assertEquals(printed, version());             // and then the new jar's own version cache
        assertEquals(2, cliCaches().size());
    }

    /** The files the service has mapped that are SQLite's native library. */
    private List<String> sqliteLibrariesMapped() throws IOException {
        String pid = Files.readString(home.resolve("service.pid")).strip();
        return Files.readAllLines(Path.of("/proc", pid, "maps")).stream()
                .filter(l -> l.contains("libsqlitejdbc")).map(l -> l.substring(l.indexOf('/'))).distinct().toList();
    }

    @Test
    void theServiceLoadsSqliteFromOneCopyInTheCacheEvenAfterAKill() throws Exception {
        listsCleanly(cache);
        List<String> mapped = sqliteLibrariesMapped();
        assertEquals(1, mapped.size(), mapped.toString());
        Path copy = Path.of(mapped.getFirst());
        assertEquals(cache.resolve("jbits"), copy.getParent(), "not a new copy in the temporary directory");

        String pid = Files.readString(home.resolve("service.pid")).strip();
        Os.run(List.of("kill", "-9", pid), TIMEOUT, new ProcessBuilder());
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> p.onExit().join());
        listsCleanly(cache);                          // a new service, after a kill

        assertEquals(List.of(copy.toString()), sqliteLibrariesMapped());
        try (Stream<Path> files = Files.list(cache.resolve("jbits"))) {
            // the one copy, and beside it the memo of the platform's folder in the jar (one per platform)
            List<String> sqlite = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("sqlite"))
                    .sorted().toList();
            assertEquals(List.of(copy.getFileName().toString()), sqlite.stream().filter(n -> !n.endsWith(".folder"))
                    .toList());
            assertEquals(1, sqlite.stream().filter(n -> n.endsWith(".folder")).count(), sqlite.toString());
        }
    }

    @Test
    void aRebuiltJarOrAFileThatIsNoArchiveBreaksNothing() throws Exception {
        listsCleanly(cache);
        Path old = cliCaches().getFirst();

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        listsCleanly(cache);                          // a new jar: a new cache, the old one removed
        List<Path> rebuilt = cliCaches();
        assertEquals(1, rebuilt.size(), rebuilt.toString());
        assertFalse(rebuilt.contains(old), "the old jar's archive is gone");

        Files.write(rebuilt.getFirst(), new byte[4096]); // not an archive (a disk error, a half copy)
        listsCleanly(cache);
        Files.delete(rebuilt.getFirst());
        Files.createDirectory(rebuilt.getFirst());       // not even a file
        listsCleanly(cache);

        assertEquals(0, jbits(cache, "service", "stop").exitCode());
        for (Path daemon : archives("daemon-")) {
            Files.write(daemon, new byte[4096]);
        }
        listsCleanly(cache);                          // the service starts on a broken archive too
        Os.Result info = jbits(cache, "service", "status");
        assertEquals(0, info.exitCode(), info.toString());
    }

    @Test
    void aCacheThatCannotBeWrittenOnlyMeansNoArchive() throws Exception {
        Path notADirectory = Files.write(tmp.resolve("a-file"), new byte[] {1});
        listsCleanly(notADirectory);
        listsCleanly(notADirectory);
        String line = serviceCommandLine(); // the heap and GC flags stay; no archive option
        assertFalse(line.contains("SharedArchiveFile") || line.contains("ArchiveClassesAtExit"), line);
    }
}
