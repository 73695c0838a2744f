package io.jbits.server.upload;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Abandoned sessions are deleted, with their data, once idle longer than the session timeout. */
class SessionCleanupTest {

    @TempDir
    Path temp;

    private Path uploads;
    private UploadServer server;

    @BeforeEach
    void createDirectories() throws Exception {
        uploads = Files.createDirectories(temp.resolve("uploads"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anAbandonedSessionIsDeletedWithItsDataAfterTheTimeout() throws Exception {
        server = UploadServer.start(temp.resolve("served"),
                UploadConfig.of(uploads).withSessionTimeout(Duration.ofMillis(400)));
        try (BitsWire wire = server.wire()) {
            String id = wire.createSession("/abandoned.bin");
            wire.fragment("/abandoned.bin", id, new byte[10_000], 0, 5_000);
            Path sessionDir = uploads.resolve(".jbits-sessions").resolve(id.substring(1, 37));
            assertTrue(Files.exists(sessionDir.resolve("request")));

            // The cleanup renames the session to a trash name, forces the session directory, then deletes the trash.
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> !Files.exists(sessionDir)
                    && TestData.filesBelow(uploads).isEmpty());

            assertEquals(0, server.handler.openSessions());
            BitsWire.Reply late = wire.fragment("/abandoned.bin", id, new byte[10_000], 5_000, 5_000);
            assertEquals(500, late.status());
            assertEquals("0x8020001F", late.header("BITS-Error-Code"));
        }
        assertEquals(List.of(), TestData.filesBelow(uploads));
    }

    @Test
    void sessionsThatExpiredWhileTheServerWasDownAreDeletedAtStart() throws Exception {
        server = UploadServer.start(temp.resolve("served"), UploadConfig.of(uploads));
        try (BitsWire wire = server.wire()) {
            wire.createSession("/old.bin");
        }
        server.close();
        Path sessions = uploads.resolve(".jbits-sessions");
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> true);

        server = UploadServer.start(temp.resolve("served"),
                UploadConfig.of(uploads).withSessionTimeout(Duration.ofMillis(200)));

        assertEquals(0, server.handler.openSessions());
        assertEquals(List.of(), TestData.filesBelow(sessions));
    }
}
