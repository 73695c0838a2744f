package io.jbits.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.rest.ServicePaths;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupArchiveTest {
    private static final byte[] ARCHIVE_START = {(byte) 0xa8, (byte) 0xab, 0x0b, (byte) 0xf0, 1, 2, 3};

    @TempDir
    Path tmp;
    private Path cache;
    private Path jar;
    private ServicePaths paths;

    @BeforeEach
    void setUp() throws Exception {
        cache = tmp.resolve("cache/jbits");
        jar = Files.write(tmp.resolve("jbits.jar"), new byte[] {1, 2, 3});
        paths = ServicePaths.from(Map.of("JBITS_HOME", tmp.resolve("home").toString()), tmp);
        paths.createDirectories();
    }

    private List<String> options() {
        return StartupArchive.jvmOptions(cache, paths, jar.toString());
    }

    private static Path file(List<String> options, String flag) {
        return options.stream().filter(o -> o.startsWith(flag + "=")).map(o -> Path.of(o.substring(flag.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + flag + " in " + options));
    }

    @Test
    void withoutAnArchiveTheServiceRecordsOneThatTheNextStartUses() throws Exception {
        Path part = file(options(), "-XX:ArchiveClassesAtExit");
        assertEquals(cache, part.getParent());
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(cache)));
        Files.write(part, ARCHIVE_START); // what the service's JVM writes as it exits

        List<String> next = options();
        Path archive = file(next, "-XX:SharedArchiveFile");
        assertTrue(Files.exists(archive));
        assertFalse(Files.exists(part));
        assertTrue(next.contains("-Xlog:cds=off"), "the JVM says nothing about an archive it cannot use");
        assertEquals(next, options(), "the archive stays in use");
    }

    @Test
    void aRecordingIsLeftAloneWhileAServiceOfItsStateDirectoryLives() throws Exception {
        Path part = file(options(), "-XX:ArchiveClassesAtExit");
        Files.write(part, ARCHIVE_START);
        try (FileChannel channel = FileChannel.open(paths.lockFile(), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            assertEquals(List.of(), options(), "this start will find the service running");
            assertTrue(Files.exists(part), "not touched while it may be written");
        }
        assertTrue(Files.exists(file(options(), "-XX:SharedArchiveFile")), "adopted once the service is gone");
    }

    @Test
    void aRecordingThatIsNotAnArchiveIsDroppedNeverUsed() throws Exception {
        Path part = file(options(), "-XX:ArchiveClassesAtExit");
        Files.write(part, new byte[] {0, 0, 0, 0, 9}); // cut short before the JVM wrote its header
        assertEquals(part, file(options(), "-XX:ArchiveClassesAtExit"), "recorded again");
        assertEquals(0, Files.size(part), "the cut file is gone; an empty one marks the new recording");
        try (var files = Files.list(cache)) {
            assertEquals(0, files.filter(p -> p.toString().endsWith(".jsa")).count());
        }
    }

    @Test
    void aRebuiltJarGetsAnArchiveOfItsOwnAndTheOldOneGoes() throws Exception {
        Files.write(file(options(), "-XX:ArchiveClassesAtExit"), ARCHIVE_START);
        Path old = file(options(), "-XX:SharedArchiveFile");

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        Path part = file(options(), "-XX:ArchiveClassesAtExit");
        assertNotEquals(old.getFileName().toString(), part.getFileName().toString().replaceAll("\\.[^.]+\\.part$",
                ""), "a new name for the new jar");
        Files.write(part, ARCHIVE_START);
        Path fresh = file(options(), "-XX:SharedArchiveFile");
        assertNotEquals(old, fresh);
        assertFalse(Files.exists(old), "the old jar's archive is removed");
    }

    @Test
    void aFinishedRecordingServesEveryStateDirectory() throws Exception {
        Path part = file(options(), "-XX:ArchiveClassesAtExit");
        ServicePaths other = ServicePaths.from(Map.of("JBITS_HOME", tmp.resolve("other").toString()), tmp);
        other.createDirectories();
        Files.write(part, ARCHIVE_START); // the first state directory's service wrote it as it exited
        Path archive = file(StartupArchive.jvmOptions(cache, other, jar.toString()), "-XX:SharedArchiveFile");
        assertTrue(Files.exists(archive), "another state directory's start adopts it");
        assertFalse(Files.exists(part));
        try (var files = Files.list(cache)) {
            assertEquals(List.of(archive), files.toList(), "nothing of the recording is left beside the archive");
        }
        assertEquals(archive, file(options(), "-XX:SharedArchiveFile"), "and the first one uses it too");
    }

    @Test
    void aRecordingOfAStateDirectoryThatIsGoneIsAdopted() throws Exception {
        Path part = file(options(), "-XX:ArchiveClassesAtExit");
        Files.write(part, ARCHIVE_START);
        try (var tree = Files.walk(tmp.resolve("home"))) { // a benchmark's state directory, removed after its run
            tree.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertFalse(Files.exists(tmp.resolve("home")));
        ServicePaths other = ServicePaths.from(Map.of("JBITS_HOME", tmp.resolve("other").toString()), tmp);
        assertTrue(Files.exists(file(StartupArchive.jvmOptions(cache, other, jar.toString()),
                "-XX:SharedArchiveFile")));
    }

    @Test
    void oneRecordingPerBuildAndNoneForClassDirectories() throws Exception {
        Path part = file(options(), "-XX:ArchiveClassesAtExit");
        ServicePaths other = ServicePaths.from(Map.of("JBITS_HOME", tmp.resolve("other").toString()), tmp);
        try (FileChannel channel = FileChannel.open(paths.lockFile(), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            List<String> second = StartupArchive.jvmOptions(cache, other, jar.toString());
            assertTrue(second.stream().noneMatch(o -> o.startsWith("-XX:")),
                    "the first service, alive, records it: " + second);
            assertTrue(Files.exists(part), "its recording is not touched");
            Files.setLastModifiedTime(part, FileTime.fromMillis(System.currentTimeMillis() - 7_200_000));
            assertTrue(StartupArchive.jvmOptions(cache, other, jar.toString()).stream()
                    .anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit=")), "an abandoned recording gives way");
            assertFalse(Files.exists(part));
        }

        // recordings of other builds (an older jar, another clone) abandoned for an hour go too; fresh ones stay
        Path stale = Files.write(cache.resolve("daemon-1234abcd-99999999.jsa.5678.part"), new byte[100]);
        Path fresh = Files.write(cache.resolve("daemon-1234abcd-88888888.jsa.5678.part"), new byte[100]);
        Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 7_200_000));
        StartupArchive.jvmOptions(cache, other, jar.toString());
        assertFalse(Files.exists(stale), "an abandoned recording of another build is removed");
        assertTrue(Files.exists(fresh), "a recording of another build that may still be written stays");

        Path classes = Files.createDirectories(tmp.resolve("classes"));
        assertEquals(List.of(), StartupArchive.jvmOptions(cache, paths, jar + java.io.File.pathSeparator + classes));
    }

    @Test
    void noWritableCacheMeansNoArchiveOptions() throws Exception {
        Path notADirectory = Files.write(tmp.resolve("plain-file"), new byte[] {1});
        assertEquals(List.of(), StartupArchive.jvmOptions(notADirectory.resolve("jbits"), paths, jar.toString()));
    }
}
