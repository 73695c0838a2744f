package io.jbits.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * A private instance of the distribution's squid on a 127.0.0.1 port: no cache, optionally Basic proxy
 * authentication ({@code basic_ncsa_auth} over a password file made here with {@code openssl passwd -1}). The access
 * log has one line per request, written as it ends: {@code time elapsed client code/status bytes method url user
 * hierarchy type}.
 */
final class Squid implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/squid");
    private static final Path NCSA_AUTH = Path.of("/usr/lib/squid/basic_ncsa_auth");

    /** One line of the access log. */
    record Request(String result, String method, String url, String user) {
        /** The HTTP status squid answered with. */
        int status() {
            return Integer.parseInt(result.substring(result.indexOf('/') + 1));
        }
    }

    private final Path dir;
    private final int port;
    private final Process process;

    private Squid(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Starts squid on a free port; with {@code user} non-null it requires Basic proxy credentials. */
    static Squid start(String user, String password) throws IOException {
        return start(Os.freeLoopbackPort(), user, password);
    }

    /** Starts squid on {@code port}; with {@code user} non-null it requires Basic proxy credentials. */
    static Squid start(int port, String user, String password) throws IOException {
        if (!Files.isExecutable(BINARY) || !Files.isExecutable(NCSA_AUTH)) {
            throw new AssertionError(BINARY + " or " + NCSA_AUTH + " not found: install the distribution's squid "
                    + "(apt-get install -y squid), as .ci/run does");
        }
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "jbits-it-squid");
        // As root, squid runs as the "proxy" user, which must write its logs here and read the password file.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path passwd = dir.resolve("passwd");
        if (user != null) {
            Files.writeString(passwd, user + ":" + md5Crypt(password) + "\n");
            Files.setPosixFilePermissions(passwd, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Path conf = dir.resolve("squid.conf");
        Files.writeString(conf, config(dir, port, user == null ? null : passwd));
        Process process = new ProcessBuilder(BINARY.toString(), "-N", "-f", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("console.log").toFile()).start();
        try {
            await("squid listening on " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !process.isAlive() || Os.answers(port));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            process.destroyForcibly();
        }
        if (!process.isAlive()) {
            String why = read(dir.resolve("console.log")) + read(dir.resolve("cache.log"));
            Os.deleteTree(dir);
            throw new AssertionError("squid did not start on port " + port + ": " + why);
        }
        return new Squid(dir, port, process);
    }

    private static String config(Path dir, int port, Path passwd) {
        String auth = passwd == null ? "http_access allow localhost\n" : """
                auth_param basic program %s %s
                auth_param basic realm jbits-it
                acl authed proxy_auth REQUIRED
                http_access allow authed
                """.formatted(NCSA_AUTH, passwd);
        return """
                http_port 127.0.0.1:%1$d
                pid_filename %2$s/squid.pid
                cache deny all
                cache_mem 8 MB
                access_log stdio:%2$s/access.log squid
                cache_log %2$s/cache.log
                cache_store_log none
                coredump_dir %2$s
                visible_hostname jbits-it
                pinger_enable off
                shutdown_lifetime 0 seconds
                logfile_rotate 0
                %3$shttp_access deny all
                """.formatted(port, dir, auth);
    }

    /** The crypt(3) MD5 form basic_ncsa_auth reads, from the distribution's openssl. */
    private static String md5Crypt(String password) throws IOException {
        Os.Result r = Os.run(List.of("openssl", "passwd", "-1", password), Duration.ofSeconds(30),
                new ProcessBuilder());
        if (!r.ok()) {
            throw new AssertionError("openssl passwd failed: " + r.stderr());
        }
        return r.stdout().strip();
    }

    int port() {
        return port;
    }

    /** The proxy as a job names it: {@code http://127.0.0.1:PORT}. */
    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Every request squid logged so far. */
    List<Request> log() {
        Path file = dir.resolve("access.log");
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).map(l -> {
                String[] f = l.trim().split("\\s+");
                return new Request(f[3], f[5], f[6], f[7]);
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Whether squid logs a request that matches within 10 s: it writes a request's line when the transaction ends,
     * which may be after the client has its bytes (a kept-alive connection, a buffered log).
     */
    boolean awaitLogged(Predicate<Request> match) {
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> log().stream().anyMatch(match));
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    /** Stops squid and its helpers (TERM, then KILL after 10 s) and deletes its directory. */
    @Override
    public void close() {
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        helpers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        Os.deleteTree(dir);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e + ")";
        }
    }
}
