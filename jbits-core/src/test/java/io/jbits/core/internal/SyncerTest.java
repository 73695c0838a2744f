package io.jbits.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.spi.FileRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncerTest {
    @TempDir
    Path dir;

    @Test
    void syncfsIsAvailableOnLinuxWithNativeAccess() throws IOException {
        if (System.getProperty("os.name").toLowerCase().contains("linux")) {
            assertTrue(SyncFs.available(), "the build runs tests with --enable-native-access");
            SyncFs.sync(dir);
        }
    }

    @Test
    void everySubmittedFileIsReportedDurableOnce() throws Exception {
        Syncer syncer = new Syncer();
        int n = 200;
        CountDownLatch done = new CountDownLatch(n);
        List<IOException> failures = new CopyOnWriteArrayList<>();
        List<Integer> seen = new CopyOnWriteArrayList<>();
        for (int i = 0; i < n; i++) {
            Path temp = Files.write(dir.resolve("f" + i + ".part"), new byte[] {(byte) i});
            FileModel f = new FileModel(new FileRow("job", i, "http://x/" + i, dir.resolve("f" + i).toString(),
                    temp.toString(), -1, 0, false, null, null, "{}"), "job", FileModel.Kind.DOWNLOAD);
            syncer.submit(f, (file, failure) -> {
                if (failure != null) {
                    failures.add(failure);
                }
                seen.add(file.index);
                done.countDown();
            });
        }
        assertTrue(done.await(30, TimeUnit.SECONDS));
        syncer.close();
        assertEquals(n, seen.size());
        assertEquals(n, seen.stream().distinct().count());
        assertNull(failures.isEmpty() ? null : failures.get(0));
    }

    @Test
    void aLoneFileIsMadeDurableByItsOwnFsyncAndOneThatCannotBeIsReportedFailed() throws Exception {
        Syncer syncer = new Syncer();
        Path written = Files.write(dir.resolve("big.part"), new byte[] {1, 2, 3});
        assertNull(durable(syncer, written), "an existing file is fsynced and reported durable");
        // A round of one file fsyncs that file, so a temporary that is gone cannot pass for durable.
        IOException failure = durable(syncer, dir.resolve("gone.part"));
        syncer.close();
        assertNotNull(failure, "a file that cannot be fsynced is reported failed");
    }

    private static IOException durable(Syncer syncer, Path temp) throws InterruptedException {
        FileModel f = new FileModel(new FileRow("job", 0, "http://x/0", temp + ".final", temp.toString(), -1, 0,
                false, null, null, "{}"), "job", FileModel.Kind.DOWNLOAD);
        CountDownLatch done = new CountDownLatch(1);
        List<IOException> failures = new CopyOnWriteArrayList<>();
        syncer.submit(f, (file, failure) -> {
            if (failure != null) {
                failures.add(failure);
            }
            done.countDown();
        });
        assertTrue(done.await(30, TimeUnit.SECONDS));
        return failures.isEmpty() ? null : failures.get(0);
    }
}
