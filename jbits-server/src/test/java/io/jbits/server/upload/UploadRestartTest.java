package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions survive a restart of the server: a new server on the same directories continues them. */
class UploadRestartTest {

    private static final int FRAGMENT = 256 * 1024;

    @TempDir
    Path temp;

    private Path uploads;
    private UploadServer server;
    private final byte[] data = TestData.randomBytes(3 * 1024 * 1024 + 17, 21);

    @BeforeEach
    void start() throws Exception {
        uploads = Files.createDirectories(temp.resolve("uploads"));
        server = UploadServer.start(temp.resolve("served"), UploadConfig.of(uploads));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void restart() throws Exception {
        server.close();
        server = UploadServer.start(temp.resolve("served"), UploadConfig.of(uploads));
    }

    @Test
    void anUploadInterruptedByARestartContinuesToTheIdenticalFile() throws Exception {
        String id;
        try (BitsWire wire = server.wire()) {
            id = wire.createSession("/restart.bin");
            for (int first = 0; first < 5 * FRAGMENT; first += FRAGMENT) {
                wire.fragment("/restart.bin", id, data, first, FRAGMENT);
            }
        }

        restart();

        try (BitsWire wire = server.wire()) {
            BitsWire.Reply probe = wire.fragment("/restart.bin", id, data, 9 * FRAGMENT, FRAGMENT);
            assertEquals(416, probe.status());
            int offset = Integer.parseInt(probe.header("BITS-Received-Content-Range"));
            assertEquals(5 * FRAGMENT, offset);
            assertFalse(Files.exists(uploads.resolve("restart.bin")));
            for (int first = offset; first < data.length; first += FRAGMENT) {
                assertEquals(200, wire.fragment("/restart.bin", id, data, first,
                        Math.min(FRAGMENT, data.length - first)).status());
            }
            assertEquals(200, wire.close("/restart.bin", id).status());
        }
        assertEquals(TestData.sha256(data), TestData.sha256(uploads.resolve("restart.bin")));
    }

    @Test
    void bytesWrittenAfterTheLastAckAreNotCountedAfterACrash() throws Exception {
        String id;
        try (BitsWire wire = server.wire()) {
            id = wire.createSession("/crash.bin");
            wire.fragment("/crash.bin", id, data, 0, FRAGMENT);
        }
        server.close();
        // A crash in the middle of the next fragment: bytes on disk that were never acknowledged.
        Path request = uploads.resolve(".jbits-sessions").resolve(id.substring(1, 37)).resolve("request");
        Files.write(request, new byte[FRAGMENT / 2], StandardOpenOption.APPEND);
        server = UploadServer.start(temp.resolve("served"), UploadConfig.of(uploads));

        try (BitsWire wire = server.wire()) {
            BitsWire.Reply resent = wire.fragment("/crash.bin", id, data, FRAGMENT, FRAGMENT);
            assertEquals(200, resent.status());
            assertEquals(Integer.toString(2 * FRAGMENT), resent.header("BITS-Received-Content-Range"));
            wire.uploadFragments("/crash.bin", id, data, FRAGMENT);
        }
        assertEquals(TestData.sha256(data), TestData.sha256(uploads.resolve("crash.bin")));
    }

    @Test
    void aFinishedSessionStillAnswersCloseAfterARestart() throws Exception {
        String id;
        try (BitsWire wire = server.wire()) {
            id = wire.createSession("/done.bin");
            wire.uploadFragments("/done.bin", id, data, 4 * 1024 * 1024);
        }

        restart();

        try (BitsWire wire = server.wire()) {
            assertEquals(200, wire.close("/done.bin", id).status());
        }
        assertEquals(TestData.sha256(data), TestData.sha256(uploads.resolve("done.bin")));
        assertEquals(0, server.handler.openSessions());
    }
}
