package io.jbits.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A private instance of the distribution's nginx on a free 127.0.0.1 port, serving one data directory.
 *
 * <p>Locations, all over the same data root:
 * <ul>
 *   <li>{@code /} — plain static files: sendfile, keep-alive, Range, strong ETag and Last-Modified;</li>
 *   <li>{@code /slow/} — the same, with {@code limit_rate} (so a test can act mid-transfer);</li>
 *   <li>{@code /norange/} — rate-limited, {@code max_ranges 0}: every Range request gets a 200 with the whole file;</li>
 *   <li>{@code /noetag/} — rate-limited, {@code etag off}: only Last-Modified validates.</li>
 * </ul>
 * The access log has one tab-separated line per request, written when the request ends (also when the client dies):
 * {@code request_uri status body_bytes_sent http_range}.
 */
final class Nginx implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/nginx");
    private static final int START_ATTEMPTS = 3;

    /** One line of the access log. */
    record Request(String uri, int status, long bodyBytesSent, String range) {
    }

    private final Path dir;
    private final int port;
    private Process master;

    private Nginx(Path dir, int port, Process master) {
        this.dir = dir;
        this.port = port;
        this.master = master;
    }

    /**
     * Starts nginx serving {@code dataRoot}; {@code limitRate} is nginx's syntax ({@code 2m} = 2 MiB/s) and applies
     * to every location but {@code /}.
     */
    static Nginx start(Path dataRoot, String limitRate) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " not found: install the distribution's nginx "
                    + "(apt-get install -y nginx), as .ci/run does");
        }
        Path dir = Files.createTempDirectory("jbits-it-nginx");
        Files.createDirectories(dir.resolve("tmp"));
        AssertionError last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            int port = Os.freeLoopbackPort();
            Files.writeString(dir.resolve("nginx.conf"), config(dir, dataRoot.toAbsolutePath(), port, limitRate));
            Process master = new ProcessBuilder(BINARY.toString(), "-p", dir + "/", "-c", dir.resolve("nginx.conf")
                    .toString(), "-e", dir.resolve("error.log").toString(),
                    "-g", "daemon off; pid " + dir.resolve("nginx.pid") + ";")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("console.log").toFile()).start();
            try {
                await("nginx listening on " + port).atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> !master.isAlive() || Os.answers(port));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                master.destroyForcibly();
            }
            if (master.isAlive() && Os.answers(port)) {
                return new Nginx(dir, port, master);
            }
            last = new AssertionError("nginx did not start on port " + port + ": " + readQuietly(dir.resolve(
                    "console.log")) + readQuietly(dir.resolve("error.log")));
        }
        throw last;
    }

    private static String config(Path dir, Path root, int port, String limitRate) {
        // As root, workers would drop to "nobody", who may not read the test's temp dirs.
        String user = Os.isRoot() ? "user root;\n" : "";
        String tmp = dir.resolve("tmp").toString();
        return user + """
                worker_processes 1;
                events { worker_connections 256; }
                http {
                  default_type application/octet-stream;
                  sendfile on; tcp_nopush on; tcp_nodelay on;
                  keepalive_timeout 65; keepalive_requests 10000;
                  etag on;
                  client_body_temp_path %1$s/body; proxy_temp_path %1$s/proxy; fastcgi_temp_path %1$s/fcgi;
                  uwsgi_temp_path %1$s/uwsgi; scgi_temp_path %1$s/scgi;
                  log_format it '$request_uri\\t$status\\t$body_bytes_sent\\t$http_range';
                  access_log %2$s it;
                  server {
                    listen 127.0.0.1:%3$d;
                    root %4$s;
                    location / { }
                    location /slow/ { alias %4$s/; limit_rate %5$s; }
                    location /norange/ { alias %4$s/; limit_rate %5$s; max_ranges 0; }
                    location /noetag/ { alias %4$s/; limit_rate %5$s; etag off; }
                  }
                }
                """.formatted(tmp, dir.resolve("access.log"), port, root, limitRate);
    }

    /** The port nginx listens on (127.0.0.1). */
    int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT/} + path, e.g. {@code url("/slow/a.bin")}. */
    String url(String path) {
        return "http://127.0.0.1:" + port + (path.startsWith("/") ? path : "/" + path);
    }

    /** Every request logged so far for exactly this URI (path and query as requested). */
    List<Request> requests(String uri) {
        return log().stream().filter(r -> r.uri().equals(uri)).toList();
    }

    /** The response body bytes nginx handed to the kernel for every logged request of this URI. */
    long bodyBytesSent(String uri) {
        return requests(uri).stream().mapToLong(Request::bodyBytesSent).sum();
    }

    /** The whole access log, parsed. */
    List<Request> log() {
        Path file = dir.resolve("access.log");
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).map(l -> {
                String[] f = l.split("\t", -1);
                return new Request(f[0], Integer.parseInt(f[1]), Long.parseLong(f[2]), f[3]);
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Stops nginx (SIGKILL of the master and its workers: connections in flight are cut) and starts it again on the
     * same port, with the same configuration and access log, after {@code down}.
     */
    void killAndRestart(Duration down) throws IOException, InterruptedException {
        List<ProcessHandle> workers = master.descendants().toList();
        master.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        workers.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle w : workers) {
            Os.awaitEnd(w, Duration.ofSeconds(10));
        }
        Thread.sleep(down.toMillis());
        master = new ProcessBuilder(BINARY.toString(), "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(),
                "-e", dir.resolve("error.log").toString(), "-g", "daemon off; pid " + dir.resolve("nginx.pid") + ";")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("console.log").toFile())).start();
        Process started = master;
        await("nginx listening again on " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> !started.isAlive() || Os.answers(port));
        if (!started.isAlive()) {
            throw new AssertionError("nginx did not start again on port " + port + ": "
                    + readQuietly(dir.resolve("console.log")) + readQuietly(dir.resolve("error.log")));
        }
    }

    /** Stops the master and its workers (TERM, then KILL after 5 s) and deletes the state directory. */
    @Override
    public void close() {
        List<ProcessHandle> workers = master.descendants().toList();
        master.destroy();
        try {
            if (!master.waitFor(5, TimeUnit.SECONDS)) {
                master.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        Os.deleteTree(dir);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e + ")";
        }
    }
}
