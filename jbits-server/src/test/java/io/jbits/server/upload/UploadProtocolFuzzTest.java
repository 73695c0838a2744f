package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.bup.ContentRange;
import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import io.jbits.testsupport.Fuzz;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated input for the upload protocol: its parsers alone at high volume (Content-Range, session ids, request
 * paths), and whole mutated packets on the wire to a running server. Every input gets a BITS answer or a clean
 * HTTP refusal, never an unexpected exception, and nothing is ever written outside the upload directory. Run long
 * with {@code -Dfuzz.inputs=1000000}.
 */
class UploadProtocolFuzzTest {
    private static final Pattern KEY = Pattern.compile("[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}");
    private static final List<String> RANGES = List.of("bytes 0-9/10", "bytes 100-199/1000", "bytes */0",
            "bytes=0-0/1", "Bytes 5-9/20", "bytes 0-9223372036854775806/9223372036854775807");
    private static final List<String> IDS = List.of("{0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0}",
            "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", " {0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0} ");
    private static final List<String> PATHS = List.of("/up/f.bin", "/up/a%20b/c.bin", "/up/%C3%BC.bin", "/f",
            "/up/dir/deeper/x.txt");

    @TempDir
    Path temp;
    private FileServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theParsersAnswerEveryMutatedHeaderWithAValueOrA400() {
        Fuzz fuzz = Fuzz.start("upload-parsers", 30_000);
        int tried = 0;
        for (int n = 0; n < fuzz.inputs(); n++) {
            SplittableRandom r = fuzz.random(n);
            String range = Fuzz.mutate(r, Fuzz.pick(r, RANGES));
            long length = r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(1200);
            String id = Fuzz.mutate(r, Fuzz.pick(r, IDS));
            String path = Fuzz.mutate(r, Fuzz.pick(r, PATHS));
            String where = fuzz.where(n, range + " | " + length + " | " + id + " | " + path);
            try {
                checkRange(range, length, where);
                String key = Session.keyOf(id);
                assertTrue(key == null || KEY.matcher(key).matches(), where + ": session key " + key);
                checkPath(path, where);
            } catch (RuntimeException e) {
                throw new AssertionError(where + " threw " + e, e);
            }
            tried++;
        }
        fuzz.done(tried);
        assertEquals(fuzz.inputs(), tried);
    }

    private static void checkRange(String header, long contentLength, String where) {
        try {
            ContentRange range = UploadProtocol.contentRange(header, contentLength);
            assertTrue(range.firstByte() >= 0 && range.lengthBytes() == contentLength
                    && range.totalBytes() >= range.endByte() && range.endByte() >= range.firstByte(),
                    where + ": accepted an impossible range " + range);
        } catch (UploadError e) {
            assertEquals(400, e.status(), where + ": " + e.getMessage());
        }
    }

    private static void checkPath(String rawPath, String where) {
        try {
            for (String segment : UploadTarget.segments(rawPath)) {
                assertTrue(!segment.isEmpty() && !segment.equals(".") && !segment.equals("..")
                        && segment.chars().noneMatch(c -> c == '/' || c == '\\' || c == 0),
                        where + ": segment '" + segment + "' could leave the upload directory");
                assertTrue(!segment.toLowerCase(Locale.ROOT).startsWith(UploadTarget.RESERVED_PREFIX),
                        where + ": reserved segment '" + segment + "'");
            }
        } catch (UploadError e) {
            assertTrue(e.status() == 400 || e.status() == 403, where + ": " + e.status() + " " + e.getMessage());
        }
    }

    @Test
    void mutatedPacketsOnTheWireGetABitsAnswerOrAnHttpRefusalAndNothingLandsOutside() throws Exception {
        Path uploads = Files.createDirectories(temp.resolve("uploads"));
        Path served = Files.createDirectories(temp.resolve("served"));
        Files.writeString(served.resolve("page.txt"), "served");
        BitsUploadHandler handler = new BitsUploadHandler(UploadConfig.of(uploads).withMaxUploadBytes(1 << 20),
                Clock.systemUTC(), Duration.ofSeconds(2));
        server = FileServer.builder(new ServeConfig(served, "127.0.0.1", 0)).handler(handler)
                .idleTimeout(Duration.ofSeconds(2)).start();
        List<String> sessions = new ArrayList<>();
        try (BitsWire w = new BitsWire(server.port())) {
            for (String p : List.of("/up/s1.bin", "/up/s2.bin")) {
                sessions.add(w.createSession(p));
            }
        }
        List<byte[]> corpus = packets(sessions);
        Fuzz fuzz = Fuzz.start("upload-wire", 1500);
        int tried = 0;
        int bitsAnswers = 0;
        for (int n = 0; n < fuzz.inputs(); n++) {
            SplittableRandom r = fuzz.random(n);
            byte[] request = Fuzz.mutate(r, Fuzz.pick(r, corpus));
            String where = fuzz.where(n, new String(request, StandardCharsets.ISO_8859_1));
            String head = send(request);
            if (head != null) {
                int status = Integer.parseInt(head.substring(9, 12));
                boolean ack = head.toLowerCase(Locale.ROOT).contains("\nbits-packet-type: ack");
                bitsAnswers += ack ? 1 : 0;
                assertTrue(status < 500 || ack && head.toLowerCase(Locale.ROOT).contains("\nbits-error-code: ")
                        || status == 505, where + ": a server error that is no BITS Ack:\n" + head);
            }
            tried++;
        }
        fuzz.done(tried);
        System.out.println("fuzz upload-wire: " + bitsAnswers + " answers were BITS Acks");
        assertEquals(fuzz.inputs(), tried);
        assertTrue(bitsAnswers > fuzz.inputs() / 10, "most mutants still reached the protocol: " + bitsAnswers);

        try (Stream<Path> all = Files.walk(temp)) {
            List<Path> outside = all.filter(p -> !Files.isDirectory(p) && !p.startsWith(uploads)
                    && !p.equals(served.resolve("page.txt"))).toList();
            assertEquals(List.of(), outside, "files written outside the upload directory");
        }
        assertTrue(handler.openSessions() <= UploadConfig.DEFAULT_MAX_SESSIONS_PER_CLIENT,
                "the mutants' sessions stay within the per-client limit: " + handler.openSessions());
        // from another address: the fuzzing client may have used up its own sessions, as it should
        byte[] data = TestData.randomBytes(50_000, 4);
        try (BitsWire w = new BitsWire(server.port(), InetAddress.getByName("127.0.0.2"))) {
            w.upload("/after-fuzz.bin", data, 20_000);
        }
        assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(uploads.resolve("after-fuzz.bin"))),
                "an honest upload after the fuzzing arrives intact");
    }

    /** Sends a request on a new connection and returns the answer's head (RawPackets). */
    private String send(byte[] request) throws IOException {
        return RawPackets.send(server.port(), request, false);
    }

    private static List<byte[]> packets(List<String> sessions) {
        List<byte[]> packets = new ArrayList<>();
        String protocols = "BITS-Supported-Protocols: " + BitsWire.PROTOCOL + "\r\n";
        for (String path : PATHS) {
            packets.add(packet("BITS_POST", path, "Ping", "", new byte[0]));
            packets.add(packet("BITS_POST", path, "Create-Session", protocols, new byte[0]));
            packets.add(packet("POST", path, "Create-Session", protocols + "X-Http-Method-Override: BITS_POST\r\n",
                    new byte[0]));
        }
        byte[] ten = TestData.randomBytes(10, 5);
        for (String id : sessions) {
            String path = id.equals(sessions.get(0)) ? "/up/s1.bin" : "/up/s2.bin";
            String sid = "BITS-Session-Id: " + id + "\r\n";
            packets.add(packet("BITS_POST", path, "Fragment", sid + "Content-Range: bytes 0-9/20\r\n", ten));
            packets.add(packet("BITS_POST", path, "Fragment", sid + "Content-Range: bytes 10-19/20\r\n", ten));
            packets.add(packet("BITS_POST", path, "Close-Session", sid, new byte[0]));
            packets.add(packet("BITS_POST", path, "Cancel-Session", sid, new byte[0]));
        }
        return packets;
    }

    private static byte[] packet(String method, String path, String type, String headers, byte[] body) {
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nBITS-Packet-Type: " + type + "\r\n"
                + headers + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = java.util.Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }
}
