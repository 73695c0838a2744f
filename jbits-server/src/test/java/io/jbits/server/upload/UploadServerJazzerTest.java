package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing (Jazzer) of the upload server's whole packet handling: the fuzzer's bytes are requests
 * (separated by NUL bytes) sent one per connection to a running {@code jbits serve} upload handler, through Jetty's
 * in-process connector ({@link LocalPackets}: the server's own HTTP parser and handlers, without sockets), with its
 * upload directory on {@code /dev/shm} where there is one (the same code and fsyncs, which tmpfs makes cheap).
 * {@code {P}} in them stands for a directory of this input's own, {@code {SID}} for the session id of the last Ack
 * that named one. After every answer: a server error (5xx) is a BITS Ack with a {@code BITS-Error-Code}; no session
 * holds more bytes on disk than its state counts (which is what its Acks acknowledge), nor counts more than its
 * total; and nothing is ever written outside the upload directory. A plain test run replays
 * {@code src/test/resources/io/jbits/server/upload/UploadServerJazzerTestInputs}.
 */
class UploadServerJazzerTest {
    private static final String NO_SESSION = "{00000000-0000-0000-0000-000000000000}";
    private static final Pattern SESSION_ID = Pattern.compile("(?im)^bits-session-id:\\s*(\\S+)\\s*$");
    private static final Path TEMP;
    private static final Path UPLOADS;
    private static final Path SERVED;
    private static final FileServer SERVER;
    private static final LocalPackets LOCAL;
    private static final AtomicLong INPUTS = new AtomicLong();
    /**
     * What each session's check last read: its state file (the server replaces it by an atomic rename, so a new
     * file key is a new state) and the size of its request file. A session whose two have not changed since is not
     * read again: reading every session's state after every request was half of what an input cost.
     */
    private static final Map<String, Object> CHECKED = new HashMap<>();
    /** Far longer than an input takes (a few ms; at most a few seconds): no input sees its own sessions expire. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);

    static {
        try {
            Path shm = Path.of("/dev/shm");
            TEMP = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "jbits-upload-server-fuzz")
                    : Files.createTempDirectory("jbits-upload-server-fuzz");
            UPLOADS = Files.createDirectories(TEMP.resolve("uploads"));
            SERVED = Files.createDirectories(TEMP.resolve("served"));
            Files.writeString(SERVED.resolve("page.txt"), "served");
            /*
             * Sessions whose ids no Ack carried (so the input's end cannot cancel them) are left behind; the
             * server's own expiry removes them, as it would a real client's: without it they piled up for the
             * whole run (about 35 in its first four minutes), and every request's check below reads them all.
             */
            BitsUploadHandler handler = new BitsUploadHandler(UploadConfig.of(UPLOADS).withMaxUploadBytes(1 << 20)
                    .withMaxSessionsPerClient(1_000_000).withSessionTimeout(SESSION_TIMEOUT), Clock.systemUTC(),
                    Duration.ofSeconds(2));
            SERVER = FileServer.builder(new ServeConfig(SERVED, "127.0.0.1", 0)).handler(handler)
                    .idleTimeout(Duration.ofSeconds(2)).start();
            LOCAL = LocalPackets.attach(SERVER);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                SERVER.close();
                try {
                    deleteTree(TEMP);
                } catch (IOException e) {
                    // the JVM is going away
                }
            }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void everyPacketGetsABitsAnswerAndNoSessionHoldsMoreThanItAcknowledged(byte[] input) throws IOException {
        sendAll(input); // no socket: Jazzer's SSRF detector reports any connection the handling makes
    }

    private static void sendAll(byte[] input) throws IOException {
        String dir = "/up/i" + INPUTS.incrementAndGet();
        String sid = NO_SESSION;
        Set<String> sessions = new LinkedHashSet<>();
        for (int start = 0, i = 0; i <= input.length; i++) {
            if (i < input.length && input[i] != 0) {
                continue;
            }
            String raw = new String(input, start, i - start, StandardCharsets.ISO_8859_1);
            start = i + 1;
            byte[] request = raw.replace("{P}", dir).replace("{SID}", sid).getBytes(StandardCharsets.ISO_8859_1);
            String head = send(request);
            if (head == null) {
                continue;
            }
            int status = Integer.parseInt(head.substring(9, 12));
            String lower = head.toLowerCase(Locale.ROOT);
            boolean ack = lower.contains("\nbits-packet-type: ack");
            assertTrue(status < 500 || ack && lower.contains("\nbits-error-code: ") || status == 505,
                    "a server error that is no BITS Ack:\n" + head + "\nfor\n" + raw);
            Matcher m = SESSION_ID.matcher(head);
            if (ack && m.find()) {
                sid = m.group(1);
                sessions.add(sid);
            }
            checkSessions(raw);
        }
        for (String s : sessions) {
            send(("BITS_POST " + dir + "/x HTTP/1.1\r\nHost: 127.0.0.1\r\nBITS-Packet-Type: Cancel-Session\r\n"
                    + "BITS-Session-Id: " + s + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        checkNothingOutside();
        deleteTree(UPLOADS.resolve("up").resolve(dir.substring(4)));
    }

    /** Every session on disk holds at most the bytes its state counts, and counts at most its total. */
    private static void checkSessions(String after) throws IOException {
        Path root = UPLOADS.resolve(UploadConfig.DEFAULT_SESSION_DIR_NAME);
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> all = Files.list(root)) {
            List<Path> sessions = all.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
            CHECKED.keySet().retainAll(sessions.stream().map(p -> p.getFileName().toString()).toList());
            for (Path session : sessions) {
                Object seen;
                try {
                    seen = List.of(Files.readAttributes(session.resolve("state.properties"),
                            BasicFileAttributes.class).fileKey(), Files.size(session.resolve("request")));
                } catch (java.nio.file.NoSuchFileException e) {
                    continue;
                }
                if (seen.equals(CHECKED.get(session.getFileName().toString()))) {
                    continue;
                }
                Properties state = new Properties();
                try (InputStream in = Files.newInputStream(session.resolve("state.properties"))) {
                    state.load(in);
                } catch (java.nio.file.NoSuchFileException e) {
                    continue; // ended (renamed away) between the listing and the read
                }
                long received = Long.parseLong(state.getProperty("receivedBytes"));
                long total = Long.parseLong(state.getProperty("totalBytes", "-1"));
                long onDisk;
                try {
                    onDisk = Files.size(session.resolve("request"));
                } catch (java.nio.file.NoSuchFileException e) {
                    continue;
                }
                assertTrue(onDisk <= received, session.getFileName() + " holds " + onDisk + " bytes but counts "
                        + received + ", after\n" + after);
                assertTrue(total < 0 || received <= total, session.getFileName() + " counts " + received
                        + " of " + total + ", after\n" + after);
                CHECKED.put(session.getFileName().toString(), seen);
            }
        }
    }

    /**
     * No file outside the upload directory but the served page. The upload directory itself is not walked: the
     * server's expiry removes sessions there at any moment.
     */
    private static void checkNothingOutside() throws IOException {
        List<Path> outside = new java.util.ArrayList<>();
        Files.walkFileTree(TEMP, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path dir,
                    java.nio.file.attribute.BasicFileAttributes attributes) {
                return dir.equals(UPLOADS) ? java.nio.file.FileVisitResult.SKIP_SUBTREE
                        : java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path file,
                    java.nio.file.attribute.BasicFileAttributes attributes) {
                if (!file.equals(SERVED.resolve("page.txt"))) {
                    outside.add(file);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        assertEquals(List.of(), outside, "files written outside the upload directory");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Sends a request on a new connection and returns the answer's head (LocalPackets). */
    private static String send(byte[] request) throws IOException {
        return LOCAL.send(request);
    }
}
