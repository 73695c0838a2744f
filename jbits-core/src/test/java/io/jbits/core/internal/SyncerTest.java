package io.jbits.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void filesThatKeepComingAreMadeDurableInOneRound() throws Exception {
        // A pause of 1 ms between files is far below the quiet time that ends the gathering; the old rule (a round
        // every 25 ms) made a dozen rounds of these 300 ms.
        Syncer syncer = new Syncer(TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(30));
        int n = 300;
        CountDownLatch done = new CountDownLatch(n);
        List<IOException> failures = new CopyOnWriteArrayList<>();
        for (int i = 0; i < n; i++) {
            syncer.submit(file(i, 1), (file, failure) -> {
                if (failure != null) {
                    failures.add(failure);
                }
                done.countDown();
            });
            Thread.sleep(1);
        }
        assertTrue(done.await(30, TimeUnit.SECONDS), "every file is reported once the files stop coming");
        syncer.close();
        assertEquals(List.of(), failures);
        assertEquals(1, syncer.rounds(), "one round for the whole burst");
    }

    @Test
    void aRunThatWaitsForItsFilesEndsTheGathering() throws Exception {
        Syncer syncer = new Syncer(TimeUnit.HOURS.toNanos(1), TimeUnit.HOURS.toNanos(1));
        CountDownLatch done = new CountDownLatch(1);
        syncer.submit(file(0, 1), (file, failure) -> done.countDown());
        assertFalse(done.await(200, TimeUnit.MILLISECONDS), "the round gathers while nobody waits");
        syncer.hurry();
        assertTrue(done.await(30, TimeUnit.SECONDS), "a waiting run starts the round");
        syncer.close();
        assertEquals(1, syncer.rounds());
    }

    @Test
    void aRoundThatHoldsItsBytesStartsWithoutWaitingForMore() throws Exception {
        Syncer syncer = new Syncer(TimeUnit.HOURS.toNanos(1), TimeUnit.HOURS.toNanos(1));
        CountDownLatch done = new CountDownLatch(2);
        syncer.submit(file(0, Syncer.ROUND_BYTES / 2), (file, failure) -> done.countDown());
        assertFalse(done.await(200, TimeUnit.MILLISECONDS), "half a round's bytes wait for more");
        syncer.submit(file(1, Syncer.ROUND_BYTES / 2), (file, failure) -> done.countDown());
        assertTrue(done.await(30, TimeUnit.SECONDS), "a full round starts at once");
        syncer.close();
    }

    @Test
    void closingFlushesWhatIsGathered() throws Exception {
        Syncer syncer = new Syncer(TimeUnit.HOURS.toNanos(1), TimeUnit.HOURS.toNanos(1));
        List<IOException> reported = new CopyOnWriteArrayList<>();
        syncer.submit(file(0, 1), (file, failure) -> reported.add(failure == null ? new IOException("ok") : failure));
        syncer.close();
        assertEquals(1, reported.size(), "close reports the gathered file before it returns");
        assertEquals("ok", reported.get(0).getMessage());
    }

    /** A written temporary of one byte that claims {@code written} bytes (what a round counts). */
    private FileModel file(int i, long written) throws IOException {
        Path temp = Files.write(dir.resolve("g" + i + ".part"), new byte[] {(byte) i});
        FileModel f = new FileModel(new FileRow("job", i, "http://x/" + i, dir.resolve("g" + i).toString(),
                temp.toString(), -1, 0, false, null, null, "{}"), "job", FileModel.Kind.DOWNLOAD);
        f.written = written;
        return f;
    }
}
