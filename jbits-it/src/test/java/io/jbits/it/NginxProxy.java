package io.jbits.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A private nginx on a free 127.0.0.1 port as a reverse proxy in front of one upstream: {@code proxy_pass} with
 * request buffering off (fragments stream through), every method passed (BITS_POST among them), the upstream reached
 * from {@link #SOURCE_ADDRESS} ({@code proxy_bind}) so the server can tell the proxy from its clients, and
 * {@code X-Forwarded-For}/{@code -Proto} set as the usual configuration does.
 */
final class NginxProxy implements AutoCloseable {

    /** The address nginx connects to the upstream from: the one to trust. */
    static final String SOURCE_ADDRESS = "127.0.0.2";

    private final Path dir;
    private final int port;
    private final Process master;

    private NginxProxy(Path dir, int port, Process master) {
        this.dir = dir;
        this.port = port;
        this.master = master;
    }

    /** Starts nginx forwarding everything to {@code http://127.0.0.1:upstreamPort}. */
    static NginxProxy start(int upstreamPort) throws IOException {
        if (!Files.isExecutable(Nginx.BINARY)) {
            throw new AssertionError(Nginx.BINARY + " not found: install nginx, as .ci/run does");
        }
        Path dir = Files.createTempDirectory("jbits-it-nginx-proxy");
        int port = Os.freeLoopbackPort();
        String user = Os.isRoot() ? "user root;\n" : "";
        Files.writeString(dir.resolve("nginx.conf"), user + """
                worker_processes 1;
                events { worker_connections 256; }
                http {
                  client_body_temp_path %1$s/body; proxy_temp_path %1$s/proxy; fastcgi_temp_path %1$s/fcgi;
                  uwsgi_temp_path %1$s/uwsgi; scgi_temp_path %1$s/scgi;
                  access_log %1$s/access.log;
                  upstream jbits { server 127.0.0.1:%2$d; keepalive 8; }
                  server {
                    listen 127.0.0.1:%3$d;
                    client_max_body_size 0;
                    location / {
                      proxy_pass http://jbits;
                      proxy_bind %4$s;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_set_header Host $http_host;
                      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                      proxy_set_header X-Forwarded-Proto $scheme;
                      proxy_request_buffering off;
                      proxy_buffering off;
                    }
                  }
                }
                """.formatted(dir, upstreamPort, port, SOURCE_ADDRESS));
        Process master = new ProcessBuilder(Nginx.BINARY.toString(), "-p", dir + "/", "-c",
                dir.resolve("nginx.conf").toString(), "-e", dir.resolve("error.log").toString(),
                "-g", "daemon off; pid " + dir.resolve("nginx.pid") + ";")
                .redirectErrorStream(true).redirectOutput(dir.resolve("console.log").toFile()).start();
        NginxProxy proxy = new NginxProxy(dir, port, master);
        try {
            await("nginx proxy on " + port).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !master.isAlive() || Os.answers(port));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // reported below
        }
        if (!master.isAlive() || !Os.answers(port)) {
            String log = Files.readString(dir.resolve("console.log"))
                    + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : "");
            proxy.close();
            throw new AssertionError("nginx did not start on port " + port + ": " + log);
        }
        return proxy;
    }

    int port() {
        return port;
    }

    /** nginx's access log (combined format), to show what went through. */
    String accessLog() throws IOException {
        Path log = dir.resolve("access.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() {
        var workers = master.descendants().toList();
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
}
