package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stop lets a fragment in flight finish and get its Ack; the session goes on after a restart. */
class GracefulStopTest {

    @TempDir
    Path dir;

    @Test
    void aFragmentArrivingDuringTheStopIsAcknowledgedAndTheSessionResumesAfterARestart() throws Exception {
        Path uploads = Files.createDirectories(dir.resolve("uploads"));
        Path served = Files.createDirectories(dir.resolve("served"));
        byte[] data = TestData.randomBytes(200_000, 5);
        FileServer first = FileServer.builder(new ServeConfig(served, "127.0.0.1", 0))
                .handler(new BitsUploadHandler(UploadConfig.of(uploads))).stopTimeout(Duration.ofSeconds(20)).start();
        String id;
        try (BitsWire wire = new BitsWire(first.port())) {
            id = wire.createSession("/stopped.bin");
        }
        CompletableFuture<Void> stopped;
        String ack;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), first.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("BITS_POST /stopped.bin HTTP/1.1\r\nHost: x\r\nBITS-Packet-Type: Fragment\r\nBITS-Session-Id: "
                    + id + "\r\nContent-Range: bytes 0-99999/200000\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(data, 0, 50_000);
            out.flush();
            Thread.sleep(300);
            stopped = CompletableFuture.runAsync(first::close);
            Thread.sleep(500);
            out.write(data, 50_000, 50_000);
            out.flush();
            ack = new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
        }
        stopped.get();
        assertEquals("HTTP/1.1 200", ack, "the fragment in flight was acknowledged");

        try (FileServer second = FileServer.builder(new ServeConfig(served, "127.0.0.1", 0))
                .handler(new BitsUploadHandler(UploadConfig.of(uploads))).start();
                BitsWire wire = new BitsWire(second.port())) {
            BitsWire.Reply rest = wire.fragment("/stopped.bin", id, data, 100_000, 100_000);
            assertEquals(200, rest.status(), rest::toString);
            assertEquals(200, wire.close("/stopped.bin", id).status());
        }
        assertArrayEquals(data, Files.readAllBytes(uploads.resolve("stopped.bin")));
    }
}
