package io.jbits.it;

import io.jbits.client.ProcessEnd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * A private instance of the distribution's Samba ({@code smbd}) on a free 127.0.0.1 port, with its own smb.conf and
 * its own state, lock, pid, cache, private and log directories under one temp directory; nothing of the system's
 * Samba is read or changed.
 *
 * <p>Shares:
 * <ul>
 *   <li>{@code data} — read-write, only for the user {@link #USER} (a Unix user made for the tests, with the Samba
 *       password {@link #PASSWORD} in this instance's own passdb);</li>
 *   <li>{@code public} — read-only, open to anonymous and guest logons (and to {@link #USER}).</li>
 * </ul>
 * {@link #kill} stops smbd and every child serving a connection (SIGKILL), keeping the state; {@link #restart} starts
 * it again on the same port. {@link #close} stops it and deletes everything, the Unix user too if this made it.
 */
final class Samba implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/smbd");
    static final String USER = "jbitssmb";
    static final String PASSWORD = "Sm8-pass word";
    /** A line of {@code smbstatus -p}: pid, user, group, machine "(ipv4:127.0.0.1:CLIENT_PORT)", … */
    private static final Pattern SESSION =
            Pattern.compile("^(\\d+)\\s+(\\S+)\\s+\\S+\\s+.*\\(ipv4:127\\.0\\.0\\.1:(\\d+)\\)");

    /** One connection as {@code smbstatus -p} lists it: the smbd child, the logged-on user and the client port. */
    record Connection(long pid, String user, int clientPort) {
    }

    private final Path dir;
    private final int port;
    private final boolean createdUser;
    private Process smbd;

    private Samba(Path dir, int port, boolean createdUser) {
        this.dir = dir;
        this.port = port;
        this.createdUser = createdUser;
    }

    /** Makes the directories, the configuration and the user, and starts smbd. */
    static Samba start() throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " not found: install the distribution's Samba "
                    + "(apt-get install -y samba), as .ci/run does");
        }
        if (!Os.isRoot()) {
            throw new AssertionError("Samba runs smbd, which must start as root (CI runs as root)");
        }
        boolean created = false;
        if (!Os.run(Duration.ofSeconds(10), "id", "-u", USER).ok()) {
            Os.Result added = Os.run(Duration.ofSeconds(30), "useradd", "-M", "-r", "-s", "/usr/sbin/nologin", USER);
            if (!added.ok() && !Os.run(Duration.ofSeconds(10), "id", "-u", USER).ok()) {
                throw new AssertionError("useradd " + USER + ": " + added.stderr());
            }
            created = added.ok();
        }
        // The share users must traverse the directory: world-searchable, unlike Files.createTempDirectory's 0700.
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "jbits-it-samba-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String d : List.of("private", "lock", "state", "cache", "pid", "ncalrpc", "log", "data", "public")) {
            Files.createDirectories(dir.resolve(d));
        }
        Files.setPosixFilePermissions(dir.resolve("data"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(dir.resolve("public"), PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = Os.freeLoopbackPort();
        Files.writeString(dir.resolve("smb.conf"), config(dir, port));
        Samba samba = new Samba(dir, port, created);
        try {
            samba.setPassword();
            samba.restart();
            return samba;
        } catch (RuntimeException | IOException e) {
            samba.close();
            throw e;
        }
    }

    private static String config(Path dir, int port) {
        return """
                [global]
                  netbios name = JBITSIT
                  workgroup = JBITS
                  server role = standalone server
                  interfaces = 127.0.0.1
                  bind interfaces only = yes
                  smb ports = %2$d
                  disable netbios = yes
                  private dir = %1$s/private
                  lock directory = %1$s/lock
                  state directory = %1$s/state
                  cache directory = %1$s/cache
                  pid directory = %1$s/pid
                  ncalrpc dir = %1$s/ncalrpc
                  log file = %1$s/log/smbd.log
                  max log size = 0
                  passdb backend = tdbsam:%1$s/private/passdb.tdb
                  map to guest = Bad User
                  load printers = no
                  printcap name = /dev/null
                  disable spoolss = yes
                  rpc start on demand helpers = no
                  deadtime = 0
                [data]
                  path = %1$s/data
                  read only = no
                  valid users = %3$s
                  create mask = 0644
                [public]
                  path = %1$s/public
                  read only = yes
                  guest ok = yes
                """.formatted(dir, port, USER);
    }

    private void setPassword() throws IOException {
        Process p = new ProcessBuilder("smbpasswd", "-c", conf().toString(), "-a", "-s", USER)
                .redirectErrorStream(true).redirectOutput(dir.resolve("log/smbpasswd.txt").toFile()).start();
        try (var in = p.getOutputStream()) {
            in.write((PASSWORD + "\n" + PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
        }
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new AssertionError("smbpasswd -a " + USER + " failed: "
                        + Files.readString(dir.resolve("log/smbpasswd.txt")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Starts smbd (again) on this instance's port, with its state as it was, and waits until it accepts. */
    void restart() throws IOException {
        if (smbd != null && smbd.isAlive()) {
            throw new IllegalStateException("smbd already runs (pid " + smbd.pid() + ")");
        }
        Process p = new ProcessBuilder(BINARY.toString(), "--foreground", "--no-process-group",
                "--configfile=" + conf(), "--debug-stdout", "-d", "1")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("log/console.log").toFile())).start();
        smbd = p;
        try {
            await("smbd listening on " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !p.isAlive() || Os.answers(port));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            kill();
            throw new AssertionError("smbd did not listen on " + port + " within 20 s: " + console());
        }
        if (!p.isAlive()) {
            throw new AssertionError("smbd exited with " + p.exitValue() + ": " + console());
        }
    }

    /** SIGKILLs smbd and every process it started (the children serving connections); the state stays. */
    void kill() {
        if (smbd == null) {
            return;
        }
        for (int round = 0; round < 5; round++) {
            List<ProcessHandle> all = new ArrayList<>(smbd.descendants().toList());
            all.add(smbd.toHandle());
            all.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle h : all) {
                try {
                    ProcessEnd.await(h, Duration.ofSeconds(10)); // the round's check below decides
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while killing smbd", e);
                }
            }
            if (!smbd.isAlive() && smbd.descendants().allMatch(ProcessEnd::ended)) {
                break;
            }
        }
        await("port " + port + " closed").atMost(Duration.ofSeconds(10)).until(() -> !Os.answers(port));
    }

    /** The connections smbd serves now, from {@code smbstatus -p}. */
    List<Connection> connections() {
        Os.Result r = Os.run(Duration.ofSeconds(20), "smbstatus", "-s", conf().toString(), "-p");
        if (!r.ok()) {
            throw new AssertionError("smbstatus failed: " + r);
        }
        List<Connection> found = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            Matcher m = SESSION.matcher(line.strip());
            if (m.find()) {
                found.add(new Connection(Long.parseLong(m.group(1)), m.group(2), Integer.parseInt(m.group(3))));
            }
        }
        return found;
    }

    int port() {
        return port;
    }

    /** The directory behind the share {@code data}. */
    Path data() {
        return dir.resolve("data");
    }

    /** The directory behind the share {@code public}. */
    Path publicDir() {
        return dir.resolve("public");
    }

    /** {@code smb://127.0.0.1:PORT/share/path}. */
    String url(String share, String path) {
        return url(port, share, path);
    }

    /** The same name through another port (a relay in front of smbd). */
    static String url(int port, String share, String path) {
        return "smb://127.0.0.1:" + port + "/" + share + "/" + path;
    }

    /** smbd's own log and console output, to explain a failure. */
    String console() {
        StringBuilder b = new StringBuilder();
        for (String f : List.of("log/console.log", "log/smbd.log")) {
            Path p = dir.resolve(f);
            try {
                if (Files.exists(p)) {
                    List<String> lines = Files.readAllLines(p);
                    b.append("\n--- ").append(f).append(" ---\n")
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
                }
            } catch (IOException | UncheckedIOException e) {
                b.append("\n(").append(f).append(" unreadable: ").append(e).append(')');
            }
        }
        return b.toString();
    }

    private Path conf() {
        return dir.resolve("smb.conf");
    }

    /** Kills smbd, deletes the directory, and removes the Unix user if this instance made it. */
    @Override
    public void close() {
        try {
            kill();
        } finally {
            Os.deleteTree(dir);
            if (createdUser) {
                Os.run(Duration.ofSeconds(30), "userdel", USER);
            }
        }
    }
}
