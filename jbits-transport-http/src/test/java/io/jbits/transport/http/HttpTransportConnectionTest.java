package io.jbits.transport.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.Validator;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Keep-alive reuse within one owner, isolation between owners, and abandoning a body without draining it. */
class HttpTransportConnectionTest {
    private static final byte[] SMALL = Bodies.random(4096, 3);
    /** Announced size of the large body: far more than a drain could read before the test looks. */
    private static final long HUGE_BYTES = 64L * 1024 * 1024 * 1024;

    private final HttpTransport transport = HttpTransport.create(HttpTransportConfig.defaults());
    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        transport.close();
        if (server != null) {
            server.close();
        }
    }

    private void fetch(String path, String owner) throws Exception {
        RemoteBody body = transport.open(new RemoteRequest(server.uri(path), 0, Validator.NONE, owner, "{}"));
        assertEquals(Bodies.sha256(SMALL), Bodies.sha256(Bodies.readAll(body)));
    }

    @Test
    void ownersNeverShareAConnectionButEachReusesItsOwn() throws Exception {
        server = TestServer.http(RangeEntity.of(SMALL, "\"s\"", null));
        fetch("/a1", "alice");
        fetch("/a2", "alice");
        fetch("/b1", "bob");
        fetch("/a3", "alice");
        fetch("/b2", "bob");
        List<TestServer.Seen> seen = server.seen();
        String alice = seen.get(0).connectionId();
        String bob = seen.get(2).connectionId();
        assertEquals(alice, seen.get(1).connectionId());
        assertNotEquals(alice, bob);
        assertEquals(alice, seen.get(3).connectionId());
        assertEquals(bob, seen.get(4).connectionId());
    }

    @Test
    void manySmallFilesOfOneOwnerUseOneConnection() throws Exception {
        server = TestServer.http(RangeEntity.of(SMALL, "\"s\"", null));
        for (int i = 0; i < 50; i++) {
            fetch("/f" + i, "alice");
        }
        assertEquals(1, server.seen().stream().map(TestServer.Seen::connectionId).distinct().count());
    }

    @Test
    void closingBeforeTheEndDropsTheConnectionInsteadOfDrainingIt() throws Exception {
        AtomicBoolean writeFailed = new AtomicBoolean();
        server = TestServer.http((request, response) -> {
            if (!request.getHttpURI().getPath().equals("/huge")) {
                TestServer.send(response, 200, SMALL);
                return;
            }
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, HUGE_BYTES);
            byte[] block = new byte[64 * 1024];
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                for (long sent = 0; sent < HUGE_BYTES; sent += block.length) {
                    out.write(block);
                }
            } catch (java.io.IOException e) {
                writeFailed.set(true);
                throw e;
            }
        });
        RemoteBody body = transport.open(new RemoteRequest(server.uri("/huge"), 0, Validator.NONE, "alice", "{}"));
        assertEquals(HUGE_BYTES, body.validator().size());
        ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
        assertTrue(body.read(buffer) > 0);
        body.close();
        await().atMost(Duration.ofSeconds(30)).untilTrue(writeFailed);
        fetch("/small", "alice");
        List<TestServer.Seen> seen = server.seen();
        assertNotEquals(seen.get(0).connectionId(), seen.get(1).connectionId());
    }
}
