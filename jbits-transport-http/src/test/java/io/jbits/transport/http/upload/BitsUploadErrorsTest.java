package io.jbits.transport.http.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.UploadOutcome;
import io.jbits.spi.UploadRequest;
import io.jbits.server.FileServer;
import io.jbits.server.upload.UploadConfig;
import io.jbits.transport.http.HttpTransportConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the client reacts to refusals: 413, 416, the server's error Acks, and retries of Cancel-Session. */
class BitsUploadErrorsTest {

    @TempDir
    Path temp;
    private Path uploads;
    private Servers servers;
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private BitsUploadClient client;

    @BeforeEach
    void setUp() throws IOException {
        uploads = Files.createDirectories(temp.resolve("uploads"));
        servers = new Servers(temp);
        client = BitsUploadClient.create(HttpTransportConfig.defaults(), Clock.systemUTC(), pauses::add);
    }

    @AfterEach
    void tearDown() throws IOException {
        client.close();
        servers.close();
    }

    private UploadRequest request(URI url, Path file) throws IOException {
        return new UploadRequest(url, file, Files.size(file), "{}", false, "alice", "{}");
    }

    private JobError failure(URI url, Path file) {
        return assertThrows(TransferFailure.class, () -> client.upload(request(url, file), new RecordingProgress()))
                .error();
    }

    @Test
    void fragmentsRefusedAsTooLargeAreSentSmaller() throws Exception {
        long limit = 100 * 1024;
        AtomicInteger refused = new AtomicInteger();
        PacketLog log = new PacketLog();
        Servers.Running server = servers.start(UploadConfig.of(uploads), Acks.scripted(r ->
                Acks.type("Fragment").test(r) && r.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > limit
                        && refused.incrementAndGet() > 0 ? new Acks.Answer(413) : null), log.handler());
        Path file = TestFiles.random(temp.resolve("local.bin"), (1 << 20) + 7, 3);

        assertTrue(client.upload(request(server.url("f.bin"), file), new RecordingProgress()).complete());

        assertEquals(TestFiles.sha256(file), TestFiles.sha256(uploads.resolve("f.bin")));
        assertEquals(4, refused.get()); // 1 MiB, 512 KiB, 256 KiB, 128 KiB; then 64 KiB and never larger again
        assertTrue(log.ofType("fragment").stream().allMatch(p -> p.contentLength() <= limit));
    }

    @Test
    void aServerThatRefusesEvenTheSmallestFragmentEndsTheUploadWithTooLarge() throws Exception {
        Servers.Running server = servers.start(UploadConfig.of(uploads), Acks.scripted(r ->
                Acks.type("Fragment").test(r) ? new Acks.Answer(413) : null));
        Path file = TestFiles.random(temp.resolve("local.bin"), 64 * 1024, 3);

        JobError error = failure(server.url("f.bin"), file);

        assertEquals(BitsCodes.BG_E_TOO_LARGE, error.code());
        assertFalse(error.transientError());
    }

    @Test
    void a416MakesTheClientResendFromTheServersOffset() throws Exception {
        AtomicBoolean answered = new AtomicBoolean();
        PacketLog log = new PacketLog();
        Servers.Running server = servers.start(UploadConfig.of(uploads), log.handler(), Acks.scripted(r -> {
            String range = r.getHeaders().get("Content-Range");
            if (range != null && !range.startsWith("bytes 0-") && answered.compareAndSet(false, true)) {
                return new Acks.Answer(416, "BITS-Received-Content-Range", "1000");
            }
            return null;
        }));
        Path file = TestFiles.random(temp.resolve("local.bin"), 8 << 20, 5);

        assertTrue(client.upload(request(server.url("f.bin"), file), new RecordingProgress()).complete());

        assertEquals(TestFiles.sha256(file), TestFiles.sha256(uploads.resolve("f.bin")));
        List<PacketLog.Packet> fragments = log.ofType("fragment");
        assertEquals(1000, fragments.get(2).firstByte());
    }

    @Test
    void anUploadOverTheServersLimitIsAFatalTooLarge() throws Exception {
        Servers.Running server = servers.start(UploadConfig.of(uploads).withMaxUploadBytes(4096));
        Path file = TestFiles.random(temp.resolve("local.bin"), 5 * 1024, 1);

        JobError error = failure(server.url("f.bin"), file);

        assertEquals(BitsCodes.BG_E_TOO_LARGE, error.code());
        assertEquals(ErrorContext.REMOTE_FILE, error.context());
        assertEquals(500, error.httpStatus());
        assertFalse(error.transientError());
        assertTrue(error.message().contains(server.url("f.bin").toString()), error.message());
    }

    @Test
    void anExistingDestinationIsFatalWithTheServersCode() throws Exception {
        Servers.Running server = servers.start(UploadConfig.of(uploads));
        Files.writeString(uploads.resolve("taken.bin"), "mine");
        Path file = TestFiles.random(temp.resolve("local.bin"), 10, 1);

        JobError error = failure(server.url("taken.bin"), file);

        assertEquals(BitsCodes.E_ACCESSDENIED, error.code());
        assertEquals(409, error.httpStatus());
        assertFalse(error.transientError());
        assertTrue(error.message().contains("Create-Session"), error.message());
    }

    @Test
    void aServerWithoutUploadsIsFatal() throws Exception {
        FileServer server = servers.startWithoutUploads();
        Path file = TestFiles.random(temp.resolve("local.bin"), 10, 1);

        JobError error = failure(server.baseUri().resolve("f.bin"), file);

        assertEquals(BitsCodes.E_ACCESSDENIED, error.code());
        assertEquals(501, error.httpStatus());
        assertFalse(error.transientError());
    }

    @Test
    void tooManySessionsIsTransient() throws Exception {
        Servers.Running server = servers.start(UploadConfig.of(uploads).withMaxSessionsPerClient(1));
        Path file = TestFiles.random(temp.resolve("local.bin"), 2 << 20, 1);
        assertFalse(client.upload(request(server.url("a.bin"), file), new RecordingProgress(1)).complete());

        JobError error = failure(server.url("b.bin"), file);

        assertEquals(BitsCodes.forHttpStatus(503), error.code());
        assertTrue(error.transientError());
    }

    @Test
    void anUnknownProtocolIsAFatalMismatch() throws Exception {
        Servers.Running server = servers.start(UploadConfig.of(uploads), Acks.scripted(r ->
                Acks.type("Create-Session").test(r) ? new Acks.Answer(200, "BITS-Protocol",
                        "{00000000-0000-0000-0000-000000000001}", "BITS-Session-Id", "{1}") : null));
        Path file = TestFiles.random(temp.resolve("local.bin"), 10, 1);

        JobError error = failure(server.url("f.bin"), file);

        assertEquals(BitsCodes.BG_E_CLIENT_SERVER_PROTOCOL_MISMATCH, error.code());
        assertFalse(error.transientError());
    }

    @Test
    void aCreateSessionRefusedWith400IsAFatalMismatch() throws Exception {
        Servers.Running server = servers.start(UploadConfig.of(uploads), Acks.scripted(r ->
                Acks.type("Create-Session").test(r) ? new Acks.Answer(400, "BITS-Error-Code", "0x80070057",
                        "BITS-Error-Context", "0x5") : null));
        Path file = TestFiles.random(temp.resolve("local.bin"), 10, 1);

        JobError error = failure(server.url("f.bin"), file);

        assertEquals(BitsCodes.BG_E_CLIENT_SERVER_PROTOCOL_MISMATCH, error.code());
        assertFalse(error.transientError());
    }

    @Test
    void a503ToAFragmentIsTransientAndKeepsTheSession() throws Exception {
        AtomicBoolean failed = new AtomicBoolean();
        Servers.Running server = servers.start(UploadConfig.of(uploads), Acks.scripted(r ->
                Acks.type("Fragment").test(r) && failed.compareAndSet(false, true)
                        ? new Acks.Answer(503, "BITS-Error-Code", "0x801901F7", "BITS-Error-Context", "0x5") : null));
        Path file = TestFiles.random(temp.resolve("local.bin"), 3 << 20, 1);
        RecordingProgress progress = new RecordingProgress();
        UploadRequest request = request(server.url("f.bin"), file);

        JobError error = assertThrows(TransferFailure.class, () -> client.upload(request, progress)).error();
        UploadOutcome retried = client.upload(request.withSessionState(progress.lastState()), progress);

        assertTrue(error.transientError());
        assertEquals(503, error.httpStatus());
        assertTrue(retried.complete());
        assertEquals(1, progress.sessionIds().size());
        assertEquals(TestFiles.sha256(file), TestFiles.sha256(uploads.resolve("f.bin")));
    }

    @Test
    void cancelSessionIsResentAfter5xx() throws Exception {
        AtomicInteger cancels = new AtomicInteger();
        Servers.Running server = servers.start(UploadConfig.of(uploads), Acks.scripted(r ->
                Acks.type("Cancel-Session").test(r) && cancels.incrementAndGet() <= 2
                        ? new Acks.Answer(503) : null));
        Path file = TestFiles.random(temp.resolve("local.bin"), 2 << 20, 1);
        UploadRequest request = request(server.url("f.bin"), file);
        UploadOutcome stopped = client.upload(request, new RecordingProgress(1));

        client.cancelSession(request.withSessionState(stopped.sessionState()));

        assertEquals(3, cancels.get());
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), pauses);
        assertEquals(0, server.handler().openSessions());
    }

    @Test
    void cancelSessionGivesUpAfterAFewAttempts() throws Exception {
        Servers.Running server = servers.start(UploadConfig.of(uploads), Acks.scripted(r ->
                Acks.type("Cancel-Session").test(r) ? new Acks.Answer(500) : null));
        Path file = TestFiles.random(temp.resolve("local.bin"), 2 << 20, 1);
        UploadRequest request = request(server.url("f.bin"), file);
        UploadOutcome stopped = client.upload(request, new RecordingProgress(1));

        JobError error = assertThrows(TransferFailure.class,
                () -> client.cancelSession(request.withSessionState(stopped.sessionState()))).error();

        assertTrue(error.transientError());
        assertEquals(BitsUploadClient.END_ATTEMPTS - 1, pauses.size());
    }

    @Test
    void aLocalFileShorterThanTheJobSaysIsALocalFileChange() throws Exception {
        Servers.Running server = servers.start(UploadConfig.of(uploads));
        Path file = TestFiles.random(temp.resolve("local.bin"), 1000, 1);
        UploadRequest request = new UploadRequest(server.url("f.bin"), file, 2000, "{}", false, "alice", "{}");

        JobError error = assertThrows(TransferFailure.class,
                () -> client.upload(request, new RecordingProgress())).error();

        assertEquals(BitsCodes.BG_E_LOCAL_FILE_CHANGED, error.code());
        assertEquals(ErrorContext.LOCAL_FILE, error.context());
    }
}
