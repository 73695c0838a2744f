package io.jbits.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A private nginx as the load balancer of an upload farm: round robin over several upstreams with no affinity,
 * request bodies streamed through ({@code proxy_request_buffering off}), a packet whose node refuses the connection
 * passed to the next node, and a dead node tried again after one second.
 */
final class NginxRoundRobin implements AutoCloseable {

    private final Path dir;
    private final String listen;
    private final Process master;

    private NginxRoundRobin(Path dir, String listen, Process master) {
        this.dir = dir;
        this.listen = listen;
        this.master = master;
    }

    /** Starts nginx on {@code listenAddress:port} balancing over {@code upstreams} ("host:port"). */
    static NginxRoundRobin start(String listenAddress, int port, List<String> upstreams) throws IOException {
        return startWith(List.of(), listenAddress, port, upstreams, "");
    }

    /**
     * The same, with {@code launcher} before nginx (e.g. {@code ip netns exec NS}, which execs it) and
     * {@code extraServers} (whole {@code server} blocks) added to its {@code http} block.
     */
    static NginxRoundRobin startWith(List<String> launcher, String listenAddress, int port, List<String> upstreams,
            String extraServers) throws IOException {
        if (!Files.isExecutable(Nginx.BINARY)) {
            throw new AssertionError(Nginx.BINARY + " not found: install nginx, as .ci/run does");
        }
        Path dir = Files.createTempDirectory("jbits-it-nginx-farm");
        String user = Os.isRoot() ? "user root;\n" : "";
        String servers = upstreams.stream().map(u -> "server " + u + " max_fails=1 fail_timeout=1s;")
                .collect(Collectors.joining(" "));
        Files.writeString(dir.resolve("nginx.conf"), user + """
                worker_processes 1;
                events { worker_connections 512; }
                http {
                  client_body_temp_path %1$s/body; proxy_temp_path %1$s/proxy; fastcgi_temp_path %1$s/fcgi;
                  uwsgi_temp_path %1$s/uwsgi; scgi_temp_path %1$s/scgi;
                  log_format farm '$request_method $request_uri $status $upstream_addr'
                                  ' $http_bits_packet_type $content_length';
                  access_log %1$s/access.log farm;
                  upstream farm { %2$s }
                  server {
                    listen %3$s:%4$d;
                    client_max_body_size 0;
                    location / {
                      proxy_pass http://farm;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_set_header Host $http_host;
                      proxy_request_buffering off;
                      proxy_buffering off;
                      proxy_next_upstream error timeout;
                      proxy_connect_timeout 2s;
                    }
                  }
                  %5$s
                }
                """.formatted(dir, servers, listenAddress, port, extraServers));
        List<String> command = new java.util.ArrayList<>(launcher);
        command.addAll(List.of(Nginx.BINARY.toString(), "-p", dir + "/", "-c",
                dir.resolve("nginx.conf").toString(), "-e", dir.resolve("error.log").toString(),
                "-g", "daemon off; pid " + dir.resolve("nginx.pid") + ";"));
        Process master = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve("console.log").toFile()).start();
        NginxRoundRobin nginx = new NginxRoundRobin(dir, listenAddress + ":" + port, master);
        try {
            await("nginx on " + listenAddress + ":" + port).atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50)).until(() -> !master.isAlive() || answers(launcher, listenAddress, port));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // reported below
        }
        if (!master.isAlive()) {
            String log = Files.readString(dir.resolve("console.log"))
                    + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : "");
            nginx.close();
            throw new AssertionError("nginx did not start on " + listenAddress + ":" + port + ": " + log);
        }
        return nginx;
    }

    private static boolean answers(List<String> launcher, String host, int port) {
        if (!launcher.isEmpty()) {
            /* The address exists only where the launcher puts nginx (a network namespace): knock from there. */
            List<String> knock = new java.util.ArrayList<>(launcher);
            knock.addAll(List.of("bash", "-c", "exec 3<>/dev/tcp/" + host + "/" + port));
            return Os.run(Duration.ofSeconds(5), knock.toArray(String[]::new)).ok();
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code http://ADDRESS:PORT} + path. */
    String url(String path) {
        return "http://" + listen + path;
    }

    /** One line per request: method, URI, status, the upstream(s) tried. */
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
