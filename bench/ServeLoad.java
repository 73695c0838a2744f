import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * bench/serve-load.sh's driver: CLIENTS concurrent BITS upload clients against one jbits serve over HTTPS, each
 * uploading files of FILE_BYTES in fragments of FRAGMENT_BYTES (Create-Session, Fragments, Close-Session) until
 * SECONDS have passed; the uploads in flight then finish. Every fragment's latency is recorded; the server's
 * resident memory is sampled from /proc every 250 ms. At the end every upload the server acknowledged with a
 * Close-Session is read back from UPLOAD_DIR and compared by SHA-256: nothing may be missing or different.
 * Prints a Markdown table. Bounded: it gives up SECONDS + 120 s after the start.
 *
 * Usage: java bench/ServeLoad.java BASE_URL CA_PEM USER PASSWORD CLIENTS SECONDS FILE_BYTES FRAGMENT_BYTES
 *        SERVER_PID UPLOAD_DIR
 */
public class ServeLoad {
    private static final String PROTOCOL = "{7df0354d-249b-430f-820d-3d2a9bef4931}";

    record Done(String name, String sha256) {
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        SSLContext tls = trusting(Path.of(args[1]));
        String auth = "Basic " + Base64.getEncoder().encodeToString((args[2] + ":" + args[3])
                .getBytes(StandardCharsets.UTF_8));
        int clients = Integer.parseInt(args[4]);
        long seconds = Long.parseLong(args[5]);
        int fileBytes = Integer.parseInt(args[6]);
        int fragmentBytes = Integer.parseInt(args[7]);
        long serverPid = Long.parseLong(args[8]);
        Path uploadDir = Path.of(args[9]);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                .connectTimeout(Duration.ofSeconds(20)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        ConcurrentLinkedQueue<Done> done = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> latenciesNanos = new ConcurrentLinkedQueue<>();
        Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
        AtomicLong bytesAcked = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        long giveUp = deadline + TimeUnit.SECONDS.toNanos(120);
        AtomicLong peakRssKib = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakRssKib.accumulateAndGet(rssKib(serverPid), Math::max);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int n = 0; System.nanoTime() < deadline; n++) {
                    String name = "c" + client + "-" + n + ".bin";
                    byte[] data = bytes(fileBytes, client * 1_000_003L + n);
                    try {
                        if (upload(http, base.resolve(name), auth, data, fragmentBytes, latenciesNanos, failures,
                                bytesAcked)) {
                            done.add(new Done(name, sha256(data)));
                        }
                    } catch (IOException e) {
                        failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            long left = giveUp - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                System.err.println("serve-load: gave up waiting for the clients");
                System.exit(2);
            }
        }
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        long hwmKib = Math.max(peakRssKib.get(), status(serverPid, "VmHWM:"));

        long verified = 0;
        long missing = 0;
        long different = 0;
        for (Done d : done) {
            Path file = uploadDir.resolve(d.name());
            if (!Files.isRegularFile(file)) {
                missing++;
            } else if (!sha256(Files.readAllBytes(file)).equals(d.sha256())) {
                different++;
            } else {
                verified++;
            }
        }
        long[] sorted = latenciesNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        double mib = bytesAcked.get() / 1048576.0;
        System.out.println("| clients | s | uploads closed | fragments | MiB acked | MiB/s | fragment p50 ms | p99 ms "
                + "| max ms | server peak RSS MiB | verified (SHA-256) | missing | different | failed requests |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        System.out.printf("| %d | %.1f | %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.0f | %d/%d | %d | %d | %s |%n",
                clients, wallSeconds, done.size(), sorted.length, mib, mib / wallSeconds, percentile(sorted, 50),
                percentile(sorted, 99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, hwmKib / 1024.0,
                verified, done.size(), missing, different, failures.isEmpty() ? "0" : failures.toString());
        System.exit(missing == 0 && different == 0 && !done.isEmpty() ? 0 : 1);
    }

    /** One whole upload; true when the server acknowledged its Close-Session. */
    private static boolean upload(HttpClient http, URI url, String auth, byte[] data, int fragmentBytes,
            ConcurrentLinkedQueue<Long> latencies, Map<String, AtomicLong> failures, AtomicLong acked)
            throws IOException, InterruptedException {
        HttpResponse<Void> created = http.send(packet(url, auth, "Create-Session")
                .header("BITS-Supported-Protocols", PROTOCOL).method("BITS_POST", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding());
        String id = created.headers().firstValue("BITS-Session-Id").orElse(null);
        if (created.statusCode() != 200 || id == null) {
            failures.computeIfAbsent("create " + created.statusCode(), k -> new AtomicLong()).incrementAndGet();
            return false;
        }
        for (int first = 0; first < data.length; first += fragmentBytes) {
            int length = Math.min(fragmentBytes, data.length - first);
            long t0 = System.nanoTime();
            HttpResponse<Void> ack = http.send(packet(url, auth, "Fragment").header("BITS-Session-Id", id)
                    .header("Content-Range", "bytes " + first + "-" + (first + length - 1) + "/" + data.length)
                    .method("BITS_POST", HttpRequest.BodyPublishers.ofByteArray(data, first, length)).build(),
                    HttpResponse.BodyHandlers.discarding());
            latencies.add(System.nanoTime() - t0);
            if (ack.statusCode() != 200) {
                failures.computeIfAbsent("fragment " + ack.statusCode(), k -> new AtomicLong()).incrementAndGet();
                return false;
            }
            acked.addAndGet(length);
        }
        HttpResponse<Void> closed = http.send(packet(url, auth, "Close-Session").header("BITS-Session-Id", id)
                .method("BITS_POST", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        if (closed.statusCode() != 200) {
            failures.computeIfAbsent("close " + closed.statusCode(), k -> new AtomicLong()).incrementAndGet();
            return false;
        }
        return true;
    }

    private static HttpRequest.Builder packet(URI url, String auth, String type) {
        return HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60)).header("Authorization", auth)
                .header("BITS-Packet-Type", type);
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static byte[] bytes(int length, long seed) {
        byte[] data = new byte[length];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < length; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8 && i + j < length; j++) {
                data[i + j] = (byte) (v >>> (8 * j));
            }
        }
        return data;
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private static long rssKib(long pid) {
        return status(pid, "VmRSS:");
    }

    /** A "kB" line of /proc/PID/status, or 0. */
    private static long status(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(Arrays.stream(line.substring(key.length()).strip().split("\\s+"))
                            .findFirst().orElse("0"));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
