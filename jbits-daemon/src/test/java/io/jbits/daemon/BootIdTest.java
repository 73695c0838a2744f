package io.jbits.daemon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootIdTest {
    @TempDir
    Path dir;

    @Test
    void theFirstRunTrustsNothingAndTheNextRunOfTheSameBootTrustsThePageCache() throws IOException {
        Path kernel = Files.writeString(dir.resolve("boot_id"), "aaaa-1111\n");
        Path record = dir.resolve("state-boot-id");
        assertFalse(BootId.sameBootAsLastRun(record, kernel), "no record yet: only checkpoints count");
        assertTrue(BootId.sameBootAsLastRun(record, kernel), "same boot: unsynced bytes survived the crash");
    }

    @Test
    void aRebootMeansOnlyCheckpointedBytesCount() throws IOException {
        Path kernel = Files.writeString(dir.resolve("boot_id"), "aaaa-1111\n");
        Path record = dir.resolve("state-boot-id");
        BootId.sameBootAsLastRun(record, kernel);
        Files.writeString(kernel, "bbbb-2222\n"); // the machine rebooted
        assertFalse(BootId.sameBootAsLastRun(record, kernel));
        assertTrue(BootId.sameBootAsLastRun(record, kernel));
    }

    @Test
    void noKernelBootIdMeansNoTrust() {
        Path record = dir.resolve("state-boot-id");
        assertFalse(BootId.sameBootAsLastRun(record, dir.resolve("missing")));
        assertFalse(BootId.sameBootAsLastRun(record, dir.resolve("missing")));
    }
}
