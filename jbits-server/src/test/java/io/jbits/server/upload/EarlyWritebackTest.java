package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EarlyWritebackTest {
    @TempDir
    Path dir;

    @Test
    void forcesStartEveryStepWhileTheWritesGoOnAndTheBytesStayAsWritten() throws Exception {
        Path file = Files.createFile(dir.resolve("request"));
        byte[] data = new byte[(int) (EarlyWriteback.STEP_BYTES * 3 + 12345)];
        new SplittableRandom(7).nextBytes(data);
        EarlyWriteback early = new EarlyWriteback(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            int chunk = 256 * 1024;
            for (int at = 0; at < data.length; at += chunk) {
                int n = Math.min(chunk, data.length - at);
                ByteBuffer b = ByteBuffer.wrap(data, at, n);
                while (b.hasRemaining()) {
                    channel.write(b, at + (n - b.remaining()));
                }
                early.written(n);
            }
            early.close();
            channel.force(false);
        }
        assertTrue(early.forcesStarted() >= 1 && early.forcesStarted() <= 3, "forces: " + early.forcesStarted());
        assertArrayEquals(data, Files.readAllBytes(file));
    }

    @Test
    void aSmallFragmentStartsNoForce() throws Exception {
        Path file = Files.createFile(dir.resolve("small"));
        EarlyWriteback early = new EarlyWriteback(file);
        early.written(EarlyWriteback.STEP_BYTES - 1);
        early.close();
        assertEquals(0, early.forcesStarted());
    }

    @Test
    void aFileThatCannotBeOpenedOnlySkipsTheEarlyForces() {
        EarlyWriteback early = new EarlyWriteback(dir.resolve("absent"));
        early.written(EarlyWriteback.STEP_BYTES * 2);
        early.written(EarlyWriteback.STEP_BYTES * 2);
        early.close();
        assertEquals(0, early.forcesStarted());
    }
}
