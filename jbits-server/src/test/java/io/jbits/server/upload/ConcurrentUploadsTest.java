package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many sessions at once, from 32 client threads: every file arrives intact. */
class ConcurrentUploadsTest {

    private static final int UPLOADS = 200;
    private static final int SIZE = 1 << 20;

    @TempDir
    Path temp;

    private Path uploads;
    private UploadServer server;

    @BeforeEach
    void start() throws Exception {
        uploads = Files.createDirectories(temp.resolve("uploads"));
        server = UploadServer.start(temp.resolve("served"), UploadConfig.of(uploads));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void twoHundredConcurrentUploadsOfOneMebibyteArriveIntact() throws Exception {
        byte[][] contents = new byte[UPLOADS][];
        for (int i = 0; i < UPLOADS; i++) {
            contents[i] = TestData.randomBytes(SIZE, 1000 + i);
        }
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < UPLOADS; i++) {
                int n = i;
                results.add(clients.submit(() -> {
                    try (BitsWire wire = server.wire()) {
                        wire.upload("/batch/file-" + n + ".bin", contents[n], 256 * 1024 + n);
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get(60, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }

        for (int i = 0; i < UPLOADS; i++) {
            assertEquals(TestData.sha256(contents[i]), TestData.sha256(uploads.resolve("batch/file-" + i + ".bin")),
                    "file " + i);
        }
        assertEquals(0, server.handler.openSessions());
    }
}
