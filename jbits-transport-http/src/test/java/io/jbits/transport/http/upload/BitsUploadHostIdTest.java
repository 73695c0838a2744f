package io.jbits.transport.http.upload;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.BitsCodes;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.UploadOutcome;
import io.jbits.spi.UploadRequest;
import io.jbits.server.upload.UploadConfig;
import io.jbits.transport.http.HttpTransportConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code BITS-Host-Id}: a web farm of two {@code jbits serve} instances on one port, the original host on 127.0.0.1
 * and the pinned node on 127.0.0.2 (both loopback), sharing the upload directory as farm nodes share storage.
 */
class BitsUploadHostIdTest {

    private static final String NODE = "127.0.0.2";

    @TempDir
    Path temp;
    private Path uploads;
    private Servers servers;
    private final TestClock clock = new TestClock();
    private BitsUploadClient client;

    @BeforeEach
    void setUp() throws IOException {
        uploads = Files.createDirectories(temp.resolve("uploads"));
        servers = new Servers(temp);
        client = BitsUploadClient.create(HttpTransportConfig.defaults(), clock, d -> { });
    }

    @AfterEach
    void tearDown() throws IOException {
        client.close();
        servers.close();
    }

    /** Progress that starts the node once the session exists, as a farm node that reads the shared sessions. */
    private RecordingProgress startingNode(int port, PacketLog nodeLog, AtomicReference<Servers.Running> node,
                                           int stopAfterAcks) {
        return new RecordingProgress(stopAfterAcks, bytes -> { }, state -> {
            if (state.hostId() != null && node.get() == null) {
                try {
                    node.set(servers.start(NODE, port, UploadConfig.of(uploads), nodeLog.handler()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }

    @Test
    void packetsAfterCreateSessionGoToTheHostId() throws Exception {
        PacketLog originLog = new PacketLog();
        PacketLog nodeLog = new PacketLog();
        Servers.Running origin = servers.start(UploadConfig.of(uploads).withHostId(NODE, Duration.ofSeconds(1)),
                originLog.handler());
        AtomicReference<Servers.Running> node = new AtomicReference<>();
        Path file = TestFiles.random(temp.resolve("local.bin"), 3 << 20, 31);
        URI url = origin.url("f.bin");

        UploadOutcome outcome = client.upload(new UploadRequest(url, file, Files.size(file), "{}", false, "alice",
                "{}"), startingNode(origin.port(), nodeLog, node, Integer.MAX_VALUE));

        assertTrue(outcome.complete());
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(uploads.resolve("f.bin")));
        assertEquals(1, originLog.size());
        assertEquals("create-session", originLog.all().get(0).type());
        assertEquals("ping", nodeLog.all().get(0).type());
        assertTrue(nodeLog.all().stream().allMatch(p -> p.host().equals(NODE)));
        assertEquals(Files.size(file), nodeLog.fragmentBytesFrom(0));
        assertEquals(1, nodeLog.ofType("close-session").size());
    }

    @Test
    void anUnreachableHostIdIsLeftForTheOriginalHostAfterTheFallbackTimeout() throws Exception {
        PacketLog nodeLog = new PacketLog();
        Servers.Running origin = servers.start(UploadConfig.of(uploads).withHostId(NODE, Duration.ofSeconds(30)));
        int port = origin.port();
        AtomicReference<Servers.Running> node = new AtomicReference<>();
        Path file = TestFiles.random(temp.resolve("local.bin"), 4 << 20, 32);
        URI url = origin.url("f.bin");
        UploadRequest request = new UploadRequest(url, file, Files.size(file), "{}", false, "alice", "{}");
        RecordingProgress first = startingNode(port, nodeLog, node, 1);
        UploadOutcome stopped = client.upload(request, first);
        node.get().server().close();
        origin.server().close();
        // The origin now answers without pinning, so the fresh session stays on it.
        servers.start("127.0.0.1", port, UploadConfig.of(uploads));
        RecordingProgress second = new RecordingProgress();

        assertThrows(IOException.class, () -> client.upload(request.withSessionState(stopped.sessionState()),
                second));
        SessionState waiting = SessionState.parse(second.lastState());
        assertEquals(clock.millis() + 30_000, waiting.hostIdFallbackAtMillis());
        clock.advance(Duration.ofSeconds(10));
        assertThrows(IOException.class, () -> client.upload(request.withSessionState(waiting.toJson()), second));
        clock.advance(Duration.ofSeconds(20));
        UploadOutcome done = client.upload(request.withSessionState(second.lastState()), second);

        assertTrue(done.complete());
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(uploads.resolve("f.bin")));
        SessionState last = SessionState.parse(done.sessionState());
        assertNull(last.hostId());
        assertNotEquals(SessionState.parse(stopped.sessionState()).sessionId(), last.sessionId());
    }

    /** Found by BitsUploadClientJazzerTest: a host id that parses as an authority without a host was an NPE. */
    @Test
    void aHostIdThatNamesNoHostIsAnInvalidServerResponse() {
        for (String hostId : new String[] {"elsewhere.e)xample", "a b", "x_y.example"}) {
            TransferFailure f = assertThrows(TransferFailure.class,
                    () -> UploadAttempt.packetUri(URI.create("http://127.0.0.1:8080/up/f.bin"), hostId));
            assertEquals(BitsCodes.BG_E_INVALID_SERVER_RESPONSE, f.error().code(), f.getMessage());
            assertTrue(f.getMessage().contains(hostId), f.getMessage());
        }
        assertEquals(URI.create("http://10.0.0.7:8080/up/f.bin"),
                assertDoesNotThrow(() -> UploadAttempt.packetUri(URI.create("http://h:8080/up/f.bin"), "10.0.0.7")));
    }
}
