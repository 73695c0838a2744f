import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpEntity;

/**
 * The floor under bench/download.sh's small-file case: only what any Java program must do to download a file set
 * with the durability jbits promises, with the HTTP library jbits uses, in one warm JVM, with no service, no job
 * store, no REST call, no events and no client command. It prints, per round, the seconds one round took.
 *
 * <p>Per round, into a fresh directory: PARALLEL platform threads share a pool of PARALLEL kept-alive connections
 * (HttpClient 5, classic); each GETs its next URL and streams the body into a temporary file beside the final name.
 * When every body is in, one {@code sync -f} makes all of them durable at once (jbits forces a big round of files with
 * one {@code syncfs}), then each file is renamed to its name and the directory is forced: a file appears under its
 * name only once its bytes are on disk, and the names are durable before the round ends. curl does none of this.
 *
 * <p>Rounds run in the same JVM, so all but the first show compiled code: the JVM's start and its warm-up are not in
 * the figures (a jbits command's own start is, in bench/download.sh's jbits rows).
 *
 * <p>Usage: {@code java -cp HTTPCLIENT5_JARS bench/lib/DownloadFloor.java BASE_URL LIST DIR PARALLEL ROUNDS}: LIST
 * holds one path per line (relative to BASE_URL); DIR is made, filled with one directory per round and emptied by the
 * caller.
 */
public final class DownloadFloor {
    private DownloadFloor() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        List<String> paths = Files.readAllLines(Path.of(args[1])).stream().filter(s -> !s.isBlank()).toList();
        Path root = Files.createDirectories(Path.of(args[2]));
        int parallel = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(parallel).setMaxConnPerRoute(parallel).build();
        try (CloseableHttpClient http = HttpClients.custom().setConnectionManager(connections).build()) {
            for (int r = 0; r < rounds; r++) {
                Path dir = Files.createDirectory(root.resolve("round-" + r));
                long start = System.nanoTime();
                round(http, base, paths, dir, parallel);
                System.out.printf("%.3f%n", (System.nanoTime() - start) / 1e9);
            }
        }
    }

    private static void round(CloseableHttpClient http, String base, List<String> paths, Path dir, int parallel)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Throwable> failures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < parallel; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < paths.size(); i = next.getAndIncrement()) {
                        get(http, base + "/" + paths.get(i), temporary(dir, i));
                    }
                } catch (IOException | RuntimeException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " downloads failed", failures.get(0));
        }
        Process sync = new ProcessBuilder("sync", "-f", dir.toString()).inheritIO().start();
        if (sync.waitFor() != 0) {
            throw new IOException("sync -f " + dir + " failed");
        }
        for (int i = 0; i < paths.size(); i++) {
            String name = Path.of(paths.get(i)).getFileName().toString();
            Files.move(temporary(dir, i), dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    private static Path temporary(Path dir, int i) {
        return dir.resolve(".part-" + i);
    }

    private static void get(CloseableHttpClient http, String url, Path file) throws IOException {
        http.execute(new HttpGet(url), response -> {
            if (response.getCode() != 200) {
                throw new IOException(url + ": HTTP " + response.getCode());
            }
            HttpEntity entity = response.getEntity();
            try (InputStream in = entity.getContent();
                    OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE)) {
                in.transferTo(out);
            }
            return null;
        });
    }
}
