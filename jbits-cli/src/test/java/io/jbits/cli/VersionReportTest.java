package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.rest.JbitsVersion;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionReportTest {
    @TempDir
    Path dir;

    @Test
    void sha256IsTheStandardDigest() throws Exception {
        Path f = Files.writeString(dir.resolve("abc"), "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", VersionReport.sha256(f));
    }

    @Test
    void buildInfoNamesTheCommitAndADirtyTree() {
        Properties p = new Properties();
        p.setProperty("git.commit.id", "81d4454aa0000000000000000000000000000000");
        p.setProperty("git.build.time", "2026-12-06T05:00:00Z");
        p.setProperty("git.dirty", "true");
        assertEquals(new BuildInfo("1.2.3", "81d4454aa0000000000000000000000000000000-dirty",
                "2026-12-06T05:00:00Z"), BuildInfo.of("1.2.3", p));
        assertEquals(new BuildInfo("1.2.3", "unknown", "unknown"), BuildInfo.of("1.2.3", new Properties()));
    }

    @Test
    void theBuildOfTheseClassesKnowsItsCommit() {
        BuildInfo b = BuildInfo.current();
        assertEquals(JbitsVersion.current(), b.version());
        assertTrue(b.commit().matches("[0-9a-f]{40}(-dirty)?"), b.commit());
        assertTrue(b.buildTime().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), b.buildTime());
    }

    @Test
    void verboseListsRuntimeModulesAndEveryJarWithItsDigest() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        VersionReport.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("jbits " + JbitsVersion.current() + "\ncommit:     "), out);
        assertTrue(out.contains("\nruntime:    "), out);
        assertTrue(out.contains("\n  java.base " + Runtime.version().toString().split("\\+")[0]), out);
        int jars = 0;
        for (Path entry : VersionReport.classPath()) {
            if (Files.isRegularFile(entry)) {
                assertTrue(out.contains(VersionReport.sha256(entry)), entry + " not listed with its digest");
                jars++;
            }
        }
        assertTrue(jars > 5, "the test's class path has the libraries' jars: " + jars);
    }
}
