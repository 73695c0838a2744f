package io.jbits.transport.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.BitsCodes;
import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.Validator;
import java.io.IOException;
import java.util.Arrays;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@link HttpTransport#open} asks for and how it reads whole, partial and changed entities. */
class HttpTransportRangeTest {
    private static final byte[] ENTITY = Bodies.random(3 * 1024 * 1024 + 17, 42);
    private static final String ETAG = "\"v1\"";
    private static final String LAST_MODIFIED = "Tue, 01 Jul 2025 10:00:00 GMT";

    private final HttpTransport transport = HttpTransport.create(HttpTransportConfig.defaults());
    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        transport.close();
        if (server != null) {
            server.close();
        }
    }

    private RemoteBody open(String path, long offset, Validator known) throws Exception {
        return transport.open(new RemoteRequest(server.uri(path), offset, known, "alice", "{}"));
    }

    @Test
    void wholeEntityArrivesIntactWithItsValidator() throws Exception {
        server = TestServer.http(RangeEntity.of(ENTITY, ETAG, LAST_MODIFIED));
        RemoteBody body = open("/f", 0, Validator.NONE);
        assertEquals(0, body.offset());
        assertEquals(new Validator(ETAG, LAST_MODIFIED, ENTITY.length), body.validator());
        assertEquals(server.uri("/f"), body.finalUri());
        assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(Bodies.readAll(body)));
        TestServer.Seen seen = server.seen().getFirst();
        assertNull(seen.range());
        assertEquals("identity", seen.acceptEncoding());
        assertEquals("jbits/0.1", seen.userAgent());
    }

    @Test
    void directBuffersReceiveTheSameBytes() throws Exception {
        server = TestServer.http(RangeEntity.of(ENTITY, ETAG, LAST_MODIFIED));
        assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(Bodies.readAll(open("/f", 0, Validator.NONE), true)));
    }

    @Test
    void resumeWithStrongEtagGetsTheRestFromTheOffset() throws Exception {
        server = TestServer.http(RangeEntity.of(ENTITY, ETAG, LAST_MODIFIED));
        long offset = 1_000_003;
        RemoteBody body = open("/f", offset, new Validator(ETAG, LAST_MODIFIED, ENTITY.length));
        assertEquals(offset, body.offset());
        assertEquals(ENTITY.length, body.validator().size());
        assertArrayEquals(Arrays.copyOfRange(ENTITY, (int) offset, ENTITY.length), Bodies.readAll(body));
        TestServer.Seen seen = server.seen().getFirst();
        assertEquals("bytes=1000003-", seen.range());
        assertEquals(ETAG, seen.ifRange());
    }

    @Test
    void resumeRestartsFromZeroWhenEtagChanged() throws Exception {
        server = TestServer.http(RangeEntity.of(ENTITY, "\"v2\"", LAST_MODIFIED));
        RemoteBody body = open("/f", 500, new Validator(ETAG, LAST_MODIFIED, ENTITY.length));
        assertEquals(0, body.offset());
        assertEquals("\"v2\"", body.validator().etag());
        assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(Bodies.readAll(body)));
    }

    @Test
    void serverIgnoringRangeSendsEverythingFromZero() throws Exception {
        server = TestServer.http(RangeEntity.of(ENTITY, ETAG, LAST_MODIFIED).ignoringRange());
        RemoteBody body = open("/f", 500, new Validator(ETAG, LAST_MODIFIED, ENTITY.length));
        assertEquals(0, body.offset());
        assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(Bodies.readAll(body)));
    }

    @Test
    void weakEtagIsIgnoredAndIfRangeUsesLastModified() throws Exception {
        server = TestServer.http(RangeEntity.of(ENTITY, "W/\"weak\"", LAST_MODIFIED));
        RemoteBody first = open("/f", 0, Validator.NONE);
        assertNull(first.validator().etag());
        first.close();
        RemoteBody body = open("/f", 10, new Validator("W/\"weak\"", LAST_MODIFIED, ENTITY.length));
        assertEquals(10, body.offset());
        assertEquals(Bodies.sha256(Arrays.copyOfRange(ENTITY, 10, ENTITY.length)),
                Bodies.sha256(Bodies.readAll(body)));
        assertEquals(LAST_MODIFIED, server.seen().getLast().ifRange());
    }

    @Test
    void resumeWithoutValidatorSendsRangeWithoutIfRange() throws Exception {
        server = TestServer.http(RangeEntity.of(ENTITY, null, null));
        RemoteBody body = open("/f", 10, new Validator(null, null, ENTITY.length));
        assertEquals(10, body.offset());
        assertEquals(ENTITY.length - 10, Bodies.readAll(body).length);
        assertNull(server.seen().getFirst().ifRange());
    }

    @Test
    void chunkedBodyHasUnknownSizeAndAllBytes() throws Exception {
        server = TestServer.http((request, response) -> TestServer.sendChunked(response, ENTITY));
        RemoteBody body = open("/f", 0, Validator.NONE);
        assertEquals(-1, body.validator().size());
        assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(Bodies.readAll(body)));
    }

    @Test
    void emptyEntityEndsAtOnce() throws Exception {
        server = TestServer.http(RangeEntity.of(new byte[0], ETAG, null));
        RemoteBody body = open("/f", 0, Validator.NONE);
        assertEquals(0, body.validator().size());
        assertEquals(0, Bodies.readAll(body).length);
    }

    @Test
    void bodyCutMidwayFailsTheRead() throws Exception {
        server = TestServer.http((request, response) -> {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, ENTITY.length);
            response.write(false, java.nio.ByteBuffer.wrap(ENTITY, 0, ENTITY.length / 2),
                    org.eclipse.jetty.util.Callback.NOOP);
            throw new IOException("test server drops the connection half-way");
        });
        RemoteBody body = open("/f", 0, Validator.NONE);
        IOException e = assertThrows(IOException.class, () -> Bodies.readAll(body));
        assertTrue(e.getMessage().contains("of " + ENTITY.length + " bytes"), e.getMessage());
    }

    @Test
    void rangeStartingElsewhereIsAnInvalidServerResponse() throws Exception {
        server = TestServer.http((request, response) -> {
            response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes 0-99/100");
            TestServer.send(response, 206, Arrays.copyOf(ENTITY, 100));
        });
        TransferFailure f = assertThrows(TransferFailure.class,
                () -> open("/f", 50, new Validator(ETAG, null, 100)));
        assertEquals(BitsCodes.BG_E_INVALID_SERVER_RESPONSE, f.error().code());
        assertTrue(f.error().transientError());
    }

    @Test
    void unsatisfiableRangeMeansTheRemoteFileChanged() throws Exception {
        server = TestServer.http(RangeEntity.of(Arrays.copyOf(ENTITY, 100), ETAG, null));
        TransferFailure f = assertThrows(TransferFailure.class,
                () -> open("/f", 200, new Validator(ETAG, null, 300)));
        assertEquals(BitsCodes.BG_E_REMOTE_FILE_CHANGED, f.error().code());
        assertTrue(f.error().transientError());
        assertEquals(io.jbits.api.ErrorContext.REMOTE_FILE, f.error().context());
    }

    @Test
    void unsatisfiableRangeAtExactlyTheEndIsAnEmptyBody() throws Exception {
        server = TestServer.http(RangeEntity.of(Arrays.copyOf(ENTITY, 100), ETAG, null));
        RemoteBody body = open("/f", 100, new Validator(ETAG, null, 100));
        assertEquals(100, body.offset());
        assertEquals(100, body.validator().size());
        assertEquals(0, Bodies.readAll(body).length);
    }
}
