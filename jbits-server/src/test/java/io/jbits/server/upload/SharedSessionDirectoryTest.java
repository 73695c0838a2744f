package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two upload nodes (two servers with their own handlers, as two {@code jbits serve} processes) on one upload
 * directory, the packets of one session alternating between them: an upload farm on shared storage (issue #17).
 * Before the session table read its state from disk under a per-packet lock, these uploads failed or, worse,
 * arrived with holes of zeros or stray bytes.
 */
class SharedSessionDirectoryTest {

    private static final int FRAGMENT = 256 * 1024;

    @TempDir
    Path temp;

    private Path uploads;
    private final Node[] nodes = new Node[2];

    /** One node: a server on its own port; restarting it starts a new handler on the same directories. */
    private final class Node implements AutoCloseable {
        final AtomicLong acceptedBytes = new AtomicLong();
        final List<String> acks = new CopyOnWriteArrayList<>();
        volatile FileServer server;

        Node start() throws IOException {
            UploadEvents events = new UploadEvents() {
                @Override
                public void received(long bytes) {
                    acceptedBytes.addAndGet(bytes);
                }
            };
            BitsUploadHandler handler = new BitsUploadHandler(UploadConfig.of(uploads), events);
            server = FileServer.builder(new ServeConfig(Files.createDirectories(temp.resolve("served")), "127.0.0.1",
                    0)).handler(handler).start();
            return this;
        }

        BitsWire wire() throws IOException {
            int port = server.port();
            if (port <= 0) {
                throw new IOException("the node is down");
            }
            return new BitsWire(port);
        }

        @Override
        public void close() {
            server.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        uploads = Files.createDirectories(temp.resolve("uploads"));
        nodes[0] = new Node().start();
        nodes[1] = new Node().start();
    }

    @AfterEach
    void stop() {
        for (Node node : nodes) {
            node.close();
        }
    }

    /** A BITS client that sends each packet to the next node and follows the offset each Ack announces. */
    private void upload(String path, byte[] data, int fragmentBytes, int firstNode) throws IOException {
        int turn = firstNode;
        String id;
        try (BitsWire wire = nodes[turn++ % 2].wire()) {
            id = wire.createSession(path);
        }
        long offset = 0;
        while (offset < data.length) {
            try (BitsWire wire = nodes[turn++ % 2].wire()) {
                BitsWire.Reply reply = wire.fragment(path, id, data, (int) offset,
                        (int) Math.min(fragmentBytes, data.length - offset));
                assertTrue(reply.status() == 200 || reply.status() == 416, reply::toString);
                offset = Long.parseLong(reply.header("BITS-Received-Content-Range"));
            }
        }
        try (BitsWire wire = nodes[turn % 2].wire()) {
            assertEquals(200, wire.close(path, id).status());
        }
    }

    @Test
    void fragmentsAlternatingBetweenTwoNodesMakeTheIdenticalFile() throws Exception {
        byte[] data = TestData.randomBytes(5 * FRAGMENT + 123, 7);

        upload("/alternating.bin", data, FRAGMENT, 0);

        assertEquals(TestData.sha256(data), TestData.sha256(uploads.resolve("alternating.bin")));
        assertEquals(List.of(), TestData.filesBelow(uploads.resolve(".jbits-sessions")));
        assertEquals(data.length, nodes[0].acceptedBytes.get() + nodes[1].acceptedBytes.get(),
                "every byte was accepted by exactly one node");
    }

    @Test
    void manyConcurrentUploadsThroughBothNodesWhileOneRestartsArriveIntact() throws Exception {
        int uploadCount = 16;
        byte[][] contents = new byte[uploadCount][];
        for (int i = 0; i < uploadCount; i++) {
            contents[i] = TestData.randomBytes(FRAGMENT * 4 + 1000 * i, 300 + i);
        }
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < uploadCount; i++) {
                int n = i;
                results.add(clients.submit(() -> {
                    uploadRetrying("/many/f" + n + ".bin", contents[n], FRAGMENT / 2 + n * 100, n);
                    return null;
                }));
            }
            for (int restart = 0; restart < 3; restart++) {
                Thread.sleep(150);
                Node node = nodes[restart % 2];
                node.close();
                node.start();
            }
            for (Future<?> result : results) {
                result.get(120, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        for (int i = 0; i < uploadCount; i++) {
            assertEquals(TestData.sha256(contents[i]), TestData.sha256(uploads.resolve("many/f" + i + ".bin")),
                    "file " + i);
        }
        assertEquals(List.of(), TestData.filesBelow(uploads.resolve(".jbits-sessions")));
    }

    /** {@link #upload} that tolerates a node being down for a moment: the packet goes to the other one. */
    private void uploadRetrying(String path, byte[] data, int fragmentBytes, int firstNode) throws Exception {
        int turn = firstNode;
        String id = retry(() -> {
            try (BitsWire wire = nodes[(int) (System.nanoTime() % 2)].wire()) {
                return wire.createSession(path);
            }
        });
        long offset = 0;
        while (offset < data.length) {
            Node node = nodes[turn++ % 2];
            long from = offset;
            try (BitsWire wire = node.wire()) {
                BitsWire.Reply reply = wire.fragment(path, id, data, (int) from,
                        (int) Math.min(fragmentBytes, data.length - from));
                if (reply.status() == 200 || reply.status() == 416) {
                    offset = Long.parseLong(reply.header("BITS-Received-Content-Range"));
                } else {
                    assertTrue(reply.status() >= 500 && !"0x8020001F".equals(reply.header("BITS-Error-Code")),
                            "a transient error only, never a lost session: " + reply);
                }
            } catch (IOException e) {
                // The node is restarting: the next packet goes to the other.
            }
        }
        retry(() -> {
            try (BitsWire wire = nodes[(int) (System.nanoTime() % 2)].wire()) {
                BitsWire.Reply closed = wire.close(path, id);
                if (closed.status() == 503 && closed.header("BITS-Error-Code") == null) {
                    throw new IOException("the node is stopping: " + closed);
                }
                assertEquals(200, closed.status(), closed::toString);
                return closed;
            }
        });
    }

    private static <T> T retry(Callable<T> call) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (IOException e) {
                if (attempt == 50) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * The silent corruption of issue #17, step by step: with per-node session tables, node 1 (which learnt of the
     * session at its start) took a resent first fragment and saved "F bytes" over node 0's "3F bytes", its restart
     * cut the file back to F, and node 0 then appended at 3F: a hole of zeros, every packet acknowledged with 200.
     */
    @Test
    void aStaleNodeCannotCutAnUploadBackOrLeaveAHoleInIt() throws Exception {
        byte[] data = TestData.randomBytes(4 * FRAGMENT, 17);
        String id;
        try (BitsWire wire = nodes[0].wire()) {
            id = wire.createSession("/stale.bin");
        }
        nodes[1].close();
        nodes[1].start();
        try (BitsWire wire = nodes[0].wire()) {
            for (int first = 0; first < 3 * FRAGMENT; first += FRAGMENT) {
                assertEquals(200, wire.fragment("/stale.bin", id, data, first, FRAGMENT).status());
            }
        }
        try (BitsWire wire = nodes[1].wire()) {
            // The client lost the Ack of its first fragment and sends it again, through the other node.
            BitsWire.Reply resent = wire.fragment("/stale.bin", id, data, 0, FRAGMENT);
            assertEquals(200, resent.status());
            assertEquals(Integer.toString(3 * FRAGMENT), resent.header("BITS-Received-Content-Range"));
        }
        nodes[1].close();
        nodes[1].start();
        try (BitsWire wire = nodes[0].wire()) {
            assertEquals(200, wire.fragment("/stale.bin", id, data, 3 * FRAGMENT, FRAGMENT).status());
            assertEquals(200, wire.close("/stale.bin", id).status());
        }
        assertEquals(TestData.sha256(data), TestData.sha256(uploads.resolve("stale.bin")));
    }

    @Test
    void aFragmentCutOffOnOneNodeLeavesTheSessionToTheOtherAtTheLastDurableByte() throws Exception {
        byte[] data = TestData.randomBytes(4 * FRAGMENT, 11);
        String id;
        try (BitsWire wire = nodes[0].wire()) {
            id = wire.createSession("/cut.bin");
            assertEquals(200, wire.fragment("/cut.bin", id, data, 0, FRAGMENT).status());
        }
        try (BitsWire wire = nodes[1].wire()) {
            assertEquals(200, wire.fragment("/cut.bin", id, data, FRAGMENT, FRAGMENT).status());
        }
        // Node 0 gets half of the third fragment, then the connection dies (as when nginx's upstream is killed).
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), nodes[0].server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("BITS_POST /cut.bin HTTP/1.1\r\nHost: x\r\nBITS-Packet-Type: Fragment\r\nBITS-Session-Id: " + id
                    + "\r\nContent-Range: bytes " + 2 * FRAGMENT + "-" + (3 * FRAGMENT - 1) + "/" + data.length
                    + "\r\nContent-Length: " + FRAGMENT + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(data, 2 * FRAGMENT, FRAGMENT / 2);
            out.flush();
            Thread.sleep(200);
        }
        // A node that died in the middle of a fragment left bytes after the last Ack (more than the rest).
        Path request = uploads.resolve(".jbits-sessions").resolve(id.substring(1, 37)).resolve("request");
        Files.write(request, new byte[3 * FRAGMENT], StandardOpenOption.APPEND);

        try (BitsWire wire = nodes[1].wire()) {
            BitsWire.Reply probe = wire.fragment("/cut.bin", id, data, 3 * FRAGMENT, FRAGMENT);
            assertEquals(416, probe.status());
            assertEquals(Integer.toString(2 * FRAGMENT), probe.header("BITS-Received-Content-Range"));
        }
        try (BitsWire wire = nodes[0].wire()) {
            assertEquals(200, wire.fragment("/cut.bin", id, data, 2 * FRAGMENT, FRAGMENT).status());
        }
        try (BitsWire wire = nodes[1].wire()) {
            assertEquals(200, wire.fragment("/cut.bin", id, data, 3 * FRAGMENT, FRAGMENT).status());
            assertEquals(200, wire.close("/cut.bin", id).status());
        }
        assertEquals(TestData.sha256(data), TestData.sha256(uploads.resolve("cut.bin")));
    }

    @Test
    void twoNodesRacingWithOverlappingFragmentsAcceptEachByteOnce() throws Exception {
        byte[] data = TestData.randomBytes(24 * FRAGMENT, 13);
        String id;
        try (BitsWire wire = nodes[0].wire()) {
            id = wire.createSession("/race.bin");
        }
        // Two test clients send overlapping fragments of one session, each to its own node, at the same time.
        ExecutorService racers = Executors.newFixedThreadPool(2);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            int racer = r;
            results.add(racers.submit(() -> {
                List<Long> acked = new ArrayList<>();
                int length = 3 * FRAGMENT + racer * FRAGMENT / 3;
                try (BitsWire wire = nodes[racer].wire()) {
                    for (int first = 0; first < data.length; first += length / 2) {
                        BitsWire.Reply reply = wire.fragment("/race.bin", id, data, first,
                                Math.min(length, data.length - first));
                        assertTrue(reply.status() == 200 || reply.status() == 416, reply::toString);
                        acked.add(Long.parseLong(reply.header("BITS-Received-Content-Range")));
                    }
                }
                return acked;
            }));
        }
        List<Long> everyAck = new ArrayList<>();
        for (Future<List<Long>> result : results) {
            List<Long> acked = result.get(60, TimeUnit.SECONDS);
            for (int i = 1; i < acked.size(); i++) {
                assertTrue(acked.get(i) >= acked.get(i - 1), "the acknowledged length never goes back: " + acked);
            }
            everyAck.addAll(acked);
        }
        racers.shutdownNow();
        assertTrue(everyAck.contains((long) data.length));
        try (BitsWire wire = nodes[1].wire()) {
            assertEquals(200, wire.close("/race.bin", id).status());
        }
        assertEquals(TestData.sha256(data), TestData.sha256(uploads.resolve("race.bin")));
        assertEquals(data.length, nodes[0].acceptedBytes.get() + nodes[1].acceptedBytes.get(),
                "no byte range was accepted by both nodes");
        assertFalse(Files.exists(uploads.resolve(".jbits-sessions").resolve(id.substring(1, 37))));
    }
}
