package io.jbits.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A whole job through the CLI against nginx: create, add, resume, wait, complete. */
class DownloadJobTest extends EndToEnd {

    @Test
    void aJobOfThreeFilesArrivesWholeAndOnlyUnderItsFinalNamesAfterComplete() throws Exception {
        Path big = TestData.randomFile(data.resolve("big.bin"), 100 * MIB + 12_345, 1);
        Path mid = TestData.randomFile(data.resolve("mid.bin"), 3 * MIB + 17, 2);
        Path small = TestData.randomFile(data.resolve("small.bin"), 1_000, 3);
        startNginx("2m");

        String job = cli.createJob("three files", "normal");
        Path bigOut = add(job, nginx.url("/big.bin"), "big.bin");
        Path midOut = add(job, nginx.url("/mid.bin"), "mid.bin");
        Path smallOut = add(job, nginx.url("/small.bin"), "small.bin");
        JsonNode created = cli.info(job);
        assertEquals("SUSPENDED", state(created), "a new job waits for resume");
        assertEquals("normal", created.path("priority").asText());
        assertEquals(3, created.path("filesTotal").asInt());

        cli.ok("resume", job);
        cli.ok("wait", job);

        JsonNode transferred = cli.info(job);
        assertEquals("TRANSFERRED", state(transferred));
        long total = Files.size(big) + Files.size(mid) + Files.size(small);
        assertEquals(total, transferred.path("bytesTotal").asLong(), "bytesTotal");
        assertEquals(total, bytesTransferred(transferred), "bytesTransferred");
        assertEquals(3, transferred.path("filesTransferred").asInt(), "filesTransferred");
        for (JsonNode file : transferred.path("files")) {
            assertTrue(file.path("completed").asBoolean(), "every file completed: " + file);
        }
        for (Path out : List.of(bigOut, midOut, smallOut)) {
            assertFalse(Files.exists(out), out + " must not exist before complete");
        }

        complete(job);

        assertSameBytes(big, bigOut);
        assertSameBytes(mid, midOut);
        assertSameBytes(small, smallOut);
        assertEquals(List.of("big.bin", "mid.bin", "small.bin"), destinationNames(),
                "only the final files remain after complete, no temporaries");
    }
}
