import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bench/farm.sh's driver: CLIENTS concurrent BITS upload clients against an upload farm's balancer over plain HTTP,
 * each uploading files of FILE_BYTES in fragments of FRAGMENT_BYTES (Create-Session, Fragments following the
 * offsets the Acks announce, Close-Session) until SECONDS have passed. Every finished upload is read back from
 * UPLOAD_DIR and compared by SHA-256 outside the timing. Prints one line: uploads bytes seconds fragments bad.
 *
 * Usage: java bench/FarmLoad.java BASE_URL CLIENTS SECONDS FILE_BYTES FRAGMENT_BYTES UPLOAD_DIR
 */
public class FarmLoad {
    private static final String PROTOCOL = "{7df0354d-249b-430f-820d-3d2a9bef4931}";

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        int clients = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        int fileBytes = Integer.parseInt(args[3]);
        int fragmentBytes = Integer.parseInt(args[4]);
        Path uploadDir = Path.of(args[5]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(20)).build();
        Map<String, String> done = new ConcurrentHashMap<>();
        AtomicLong fragments = new AtomicLong();
        AtomicLong counter = new AtomicLong();
        long start = System.nanoTime();
        long stopAt = start + TimeUnit.SECONDS.toNanos(seconds);
        try (var pool = Executors.newFixedThreadPool(clients)) {
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> {
                    while (System.nanoTime() < stopAt) {
                        long n = counter.getAndIncrement();
                        byte[] data = new byte[fileBytes];
                        new SplittableRandom(n).nextBytes(data);
                        String name = "farm-" + n + ".bin";
                        try {
                            upload(http, base.resolve(name), data, fragmentBytes, fragments);
                            done.put(name, sha256(data));
                        } catch (Exception e) {
                            System.err.println(name + ": " + e);
                        }
                    }
                    return null;
                });
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long bad = 0;
        for (var entry : done.entrySet()) {
            if (!entry.getValue().equals(sha256(Files.readAllBytes(uploadDir.resolve(entry.getKey()))))) {
                bad++;
            }
        }
        System.out.printf("%d %d %.2f %d %d%n", done.size(), (long) done.size() * fileBytes, elapsed,
                fragments.get(), bad);
    }

    private static void upload(HttpClient http, URI uri, byte[] data, int fragmentBytes, AtomicLong fragments)
            throws Exception {
        HttpResponse<Void> created = send(http, uri, "Create-Session", null, null, null);
        String id = created.headers().firstValue("BITS-Session-Id").orElseThrow(() ->
                new IllegalStateException("Create-Session answered " + created.statusCode()));
        long offset = 0;
        while (offset < data.length) {
            int length = (int) Math.min(fragmentBytes, data.length - offset);
            HttpResponse<Void> ack = send(http, uri, "Fragment", id,
                    "bytes " + offset + "-" + (offset + length - 1) + "/" + data.length,
                    java.util.Arrays.copyOfRange(data, (int) offset, (int) offset + length));
            fragments.incrementAndGet();
            if (ack.statusCode() != 200 && ack.statusCode() != 416) {
                throw new IllegalStateException("Fragment at " + offset + " answered " + ack.statusCode());
            }
            offset = Long.parseLong(ack.headers().firstValue("BITS-Received-Content-Range").orElseThrow());
        }
        HttpResponse<Void> closed = send(http, uri, "Close-Session", id, null, null);
        if (closed.statusCode() != 200) {
            throw new IllegalStateException("Close-Session answered " + closed.statusCode());
        }
    }

    private static HttpResponse<Void> send(HttpClient http, URI uri, String type, String id, String range,
            byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("BITS-Packet-Type", type)
                .method("BITS_POST", body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (id == null) {
            request.header("BITS-Supported-Protocols", PROTOCOL);
        } else {
            request.header("BITS-Session-Id", id);
        }
        if (range != null) {
            request.header("Content-Range", range).header("Content-Name", "data.bin");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
