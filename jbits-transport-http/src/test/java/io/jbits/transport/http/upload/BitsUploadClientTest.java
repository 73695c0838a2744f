package io.jbits.transport.http.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.spi.UploadOutcome;
import io.jbits.spi.UploadProgress;
import io.jbits.spi.UploadRequest;
import io.jbits.server.upload.UploadConfig;
import io.jbits.transport.http.HttpTransportConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client against a real {@code jbits serve}: whole uploads, stops, restarts and lost sessions. */
class BitsUploadClientTest {

    @TempDir
    Path temp;
    private Path uploads;
    private Servers servers;
    private BitsUploadClient client;

    @BeforeEach
    void setUp() throws IOException {
        uploads = Files.createDirectories(temp.resolve("uploads"));
        servers = new Servers(temp);
        client = BitsUploadClient.create(HttpTransportConfig.defaults());
    }

    @AfterEach
    void tearDown() throws IOException {
        client.close();
        servers.close();
    }

    private UploadRequest request(URI url, Path file) throws IOException {
        return new UploadRequest(url, file, Files.size(file), "{}", false, "alice", "{}");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 5 * 1024, (4 << 20) + 3, 64 << 20})
    void uploadArrivesWithTheSameBytes(long size) throws Exception {
        PacketLog log = new PacketLog();
        Servers.Running server = servers.start(UploadConfig.of(uploads), log.handler());
        Path file = TestFiles.random(temp.resolve("local.bin"), size, size);
        RecordingProgress progress = new RecordingProgress();

        UploadOutcome outcome = client.upload(request(server.url("dir%20x/f.bin"), file), progress);

        assertTrue(outcome.complete());
        assertNull(outcome.replyUrl());
        Path stored = uploads.resolve("dir x").resolve("f.bin");
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(stored));
        assertEquals(size, progress.lastAck());
        assertEquals(1, progress.sessionIds().size());
        assertTrue(SessionState.parse(outcome.sessionState()).complete());
        assertEquals(List.of("create-session"), log.all().stream().map(PacketLog.Packet::type).limit(1).toList());
        assertEquals(1, log.ofType("close-session").size());
        assertEquals(size, log.fragmentBytesFrom(0));
        assertEquals(0, server.handler().openSessions());
        assertEquals(1, log.all().stream().map(PacketLog.Packet::connectionId).distinct().count());
    }

    @Test
    void uploadsOfDifferentOwnersNeverShareAConnection() throws Exception {
        PacketLog log = new PacketLog();
        Servers.Running server = servers.start(UploadConfig.of(uploads), log.handler());
        Path file = TestFiles.random(temp.resolve("local.bin"), 10_000, 1);

        client.upload(request(server.url("a.bin"), file), new RecordingProgress());
        client.upload(new UploadRequest(server.url("b.bin"), file, Files.size(file), "{}", false, "bob", "{}"),
                new RecordingProgress());
        client.upload(request(server.url("c.bin"), file), new RecordingProgress());

        List<String> connections = log.all().stream().map(PacketLog.Packet::connectionId).toList();
        int perUpload = connections.size() / 3;
        assertEquals(connections.get(0), connections.get(2 * perUpload));
        assertEquals(1, connections.subList(perUpload, 2 * perUpload).stream().distinct().count());
        assertTrue(connections.stream().distinct().count() == 2, connections::toString);
    }

    @Test
    void aStoppedUploadContinuesTheSameSessionWhereTheServerStands() throws Exception {
        PacketLog log = new PacketLog();
        Servers.Running server = servers.start(UploadConfig.of(uploads), log.handler());
        Path file = TestFiles.random(temp.resolve("local.bin"), 24 << 20, 7);
        RecordingProgress first = new RecordingProgress(3);

        UploadOutcome stopped = client.upload(request(server.url("f.bin"), file), first);

        assertFalse(stopped.complete());
        assertEquals(3, log.ofType("fragment").size());
        assertEquals(1, server.handler().openSessions());
        assertFalse(Files.exists(uploads.resolve("f.bin")));
        int before = log.size();
        RecordingProgress second = new RecordingProgress();

        UploadOutcome done = client.upload(request(server.url("f.bin"), file).withSessionState(
                stopped.sessionState()), second);

        assertTrue(done.complete());
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(uploads.resolve("f.bin")));
        assertEquals(1, log.ofType("create-session").size());
        assertEquals("ping", log.all().get(before).type());
        // One probe byte, then exactly the bytes the server did not have.
        assertEquals(Files.size(file) - first.lastAck() + 1, log.fragmentBytesFrom(before));
        assertEquals(SessionState.parse(stopped.sessionState()).sessionId(),
                SessionState.parse(done.sessionState()).sessionId());
    }

    @Test
    void aStopInTheMiddleOfAFragmentBreaksItOffAndTheNextAttemptResendsIt() throws Exception {
        Servers.Running server = servers.start(UploadConfig.of(uploads));
        Path file = TestFiles.random(temp.resolve("local.bin"), 3 << 20, 9);
        AtomicInteger asked = new AtomicInteger();
        RecordingProgress recording = new RecordingProgress();
        UploadProgress stopping = new UploadProgress() {
            @Override
            public void sessionChanged(String sessionState) {
                recording.sessionChanged(sessionState);
            }

            @Override
            public void acknowledged(long bytes) {
                recording.acknowledged(bytes);
            }

            @Override
            public boolean stopRequested() {
                // Before Create-Session, before the first fragment, then between the buffers of its body.
                return asked.incrementAndGet() >= 4;
            }
        };

        UploadOutcome stopped = client.upload(request(server.url("f.bin"), file), stopping);

        assertFalse(stopped.complete());
        assertEquals(List.of(), recording.acks);
        UploadOutcome done = client.upload(request(server.url("f.bin"), file).withSessionState(
                stopped.sessionState()), new RecordingProgress());
        assertTrue(done.complete());
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(uploads.resolve("f.bin")));
    }

    @Test
    void anUploadContinuesAfterTheServerRestarted() throws Exception {
        PacketLog log = new PacketLog();
        Servers.Running[] server = {servers.start(UploadConfig.of(uploads), log.handler())};
        int port = server[0].port();
        Path file = TestFiles.random(temp.resolve("local.bin"), 20 << 20, 11);
        URI url = server[0].url("f.bin");
        RecordingProgress first = new RecordingProgress(Integer.MAX_VALUE, bytes -> {
            if (bytes > 0) {
                server[0].server().close();
            }
        }, state -> { });

        assertThrows(IOException.class, () -> client.upload(request(url, file), first));

        server[0] = servers.start("127.0.0.1", port, UploadConfig.of(uploads), log.handler());
        UploadOutcome done = client.upload(request(url, file).withSessionState(first.lastState()),
                new RecordingProgress());

        assertTrue(done.complete());
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(uploads.resolve("f.bin")));
        assertEquals(1, log.ofType("create-session").size());
        assertEquals(SessionState.parse(first.lastState()).sessionId(),
                SessionState.parse(done.sessionState()).sessionId());
    }

    @Test
    void aSessionTheServerLostStartsOverFromZero() throws Exception {
        Servers.Running server = servers.start(UploadConfig.of(uploads));
        int port = server.port();
        Path file = TestFiles.random(temp.resolve("local.bin"), 6 << 20, 13);
        URI url = server.url("f.bin");
        RecordingProgress first = new RecordingProgress(2);
        UploadOutcome stopped = client.upload(request(url, file), first);
        server.server().close();
        Path sessions = uploads.resolve(UploadConfig.DEFAULT_SESSION_DIR_NAME);
        try (Stream<Path> dirs = Files.list(sessions)) {
            for (Path dir : dirs.toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(dir);
            }
        }
        Servers.Running restarted = servers.start("127.0.0.1", port, UploadConfig.of(uploads));
        RecordingProgress second = new RecordingProgress();

        UploadOutcome done = client.upload(request(url, file).withSessionState(stopped.sessionState()), second);

        assertTrue(done.complete());
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(uploads.resolve("f.bin")));
        assertEquals(2, List.of(first.sessionIds().get(0), second.sessionIds().get(0)).stream().distinct().count());
        assertEquals(0L, second.acks.get(0));
        assertEquals(0, restarted.handler().openSessions());
    }

    @Test
    void cancelSessionDeletesWhatTheServerReceived() throws Exception {
        Servers.Running server = servers.start(UploadConfig.of(uploads));
        Path file = TestFiles.random(temp.resolve("local.bin"), 4 << 20, 17);
        UploadRequest request = request(server.url("f.bin"), file);
        UploadOutcome stopped = client.upload(request, new RecordingProgress(1));
        assertEquals(1, server.handler().openSessions());

        client.cancelSession(request.withSessionState(stopped.sessionState()));

        assertEquals(0, server.handler().openSessions());
        try (Stream<Path> left = Files.list(uploads.resolve(UploadConfig.DEFAULT_SESSION_DIR_NAME))) {
            assertEquals(List.of(), left.toList());
        }
        assertFalse(Files.exists(uploads.resolve("f.bin")));
        // A second cancel finds no session, which is what it wanted.
        client.cancelSession(request.withSessionState(stopped.sessionState()));
    }
}
