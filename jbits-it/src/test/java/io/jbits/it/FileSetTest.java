package io.jbits.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * File sets through the CLI against nginx, as bitsadmin /addfileset takes them: {@code jbits transfer --file-set}
 * and {@code jbits addfileset}, every file checked by SHA-256, and a bad set refused with its line, the job as it was.
 */
class FileSetTest extends EndToEnd {

    @Test
    void aTransferOfAFileSetArrivesWholeUnderItsFinalNames() throws Exception {
        startNginx("2m");
        List<Path> sources = new ArrayList<>();
        StringBuilder set = new StringBuilder("# made by FileSetTest\r\n\r\n");
        for (int i = 0; i < 60; i++) {
            Path source = TestData.randomFile(data.resolve("f" + i + ".bin"), 1_000 + 977L * i, 100 + i);
            sources.add(source);
            String local = i == 7 ? "\"" + dest.resolve("with space " + i + ".bin") + "\""
                    : dest.resolve("f" + i + ".bin").toString();
            set.append(nginx.url("/f" + i + ".bin")).append(i % 2 == 0 ? " " : " \t ").append(local).append("\r\n");
        }
        Path list = data.resolve("set.txt");
        Files.writeString(list, set);

        Os.Result result = cli.run("transfer", "--file-set", list.toString(), "--name", "sixty");
        assertEquals(0, result.exitCode(), result.stderr());

        for (int i = 0; i < sources.size(); i++) {
            assertSameBytes(sources.get(i), dest.resolve((i == 7 ? "with space " : "f") + i + ".bin"));
        }
        assertEquals(60, destinationNames().size(), "the sixty files and nothing else: " + destinationNames());
        JsonNode job = cli.listAll().get(0);
        assertEquals("ACKNOWLEDGED", state(job));
        assertEquals("sixty", job.path("name").asText());
        assertEquals(60, job.path("filesTotal").asInt());
    }

    @Test
    void addFileSetAddsEveryFileInOneCallAndABadSetChangesNothing() throws Exception {
        startNginx("2m");
        Path a = TestData.randomFile(data.resolve("a.bin"), 70_001, 1);
        Path b = TestData.randomFile(data.resolve("b.bin"), 3 * MIB + 5, 2);
        Path c = TestData.randomFile(data.resolve("c.bin"), 1, 3);
        String job = cli.createJob("set", "normal");

        Path bad = data.resolve("bad.txt");
        Files.writeString(bad, nginx.url("/a.bin") + " " + dest.resolve("a.bin") + "\n" + nginx.url("/b.bin") + "\n");
        Os.Result refused = cli.run("addfileset", job, bad.toString());
        assertEquals(2, refused.exitCode(), refused.stdout() + refused.stderr());
        assertTrue(refused.stderr().contains("line 2: '" + nginx.url("/b.bin") + "' has no local name"),
                refused.stderr());
        assertEquals(0, cli.info(job).path("filesTotal").asInt(), "a refused set adds nothing");
        Os.Result missing = cli.run("addfileset", job, data.resolve("none.txt").toString());
        assertEquals(2, missing.exitCode(), missing.stderr());
        assertTrue(missing.stderr().contains("no such file"), missing.stderr());

        Path list = data.resolve("set.txt");
        Files.writeString(list, nginx.url("/a.bin") + " " + dest.resolve("a.bin") + "\n# b and c\n"
                + nginx.url("/b.bin") + " " + dest.resolve("b.bin") + "\n" + nginx.url("/c.bin") + " "
                + dest.resolve("c.bin") + "\n");
        String added = cli.ok("addfileset", job, list.toString());
        assertEquals(job + ": 3 files added, 3 in all", added);
        JsonNode info = cli.info(job);
        assertEquals(3, info.path("filesTotal").asInt());
        assertEquals(dest.resolve("b.bin").toString(), info.path("files").get(1).path("localPath").asText());

        cli.ok("resume", job);
        cli.ok("wait", job);
        complete(job);
        assertSameBytes(a, dest.resolve("a.bin"));
        assertSameBytes(b, dest.resolve("b.bin"));
        assertSameBytes(c, dest.resolve("c.bin"));
        assertEquals(List.of("a.bin", "b.bin", "c.bin"), destinationNames());
    }
}
