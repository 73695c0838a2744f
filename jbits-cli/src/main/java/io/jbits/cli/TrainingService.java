package io.jbits.cli;

import io.jbits.api.FileInfo;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.Priority;
import io.jbits.rest.Json;
import io.jbits.rest.JbitsVersion;
import io.jbits.rest.ServicePaths;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stand-in service {@link StartupTraining} runs its commands against: a Unix socket in a private temporary
 * directory, in the training's own JVM, that answers the REST calls of the quick verbs as the service does (the same
 * JSON layout, written by the same writers where there are some), holding its jobs in memory. So the training runs
 * every quick verb, {@code transfer} included, whether or not the user's service runs, and never reads or changes the
 * user's jobs. Each exchange is one request on a connection of its own (the client sends {@code Connection: close}
 * and a Content-Length). Not a service: no durability, no checks, nothing transferred.
 */
final class TrainingService implements Closeable {
    /** The longest request head or body read; the client's are far smaller. */
    private static final int MAX_REQUEST_BYTES = 1 << 20;
    /** How long an event stream is held open for a client that does not close it. */
    private static final long STREAM_HOLD_MILLIS = 5_000;

    /**
     * The pid the stand-in's status names: no process of its own (asking the JDK for this one's would set up its
     * process reaper, classes no command needs, in the cache).
     */
    private static final long STAND_IN_PID = 0;

    private final Path dir;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final Map<String, JobInfo> jobs = new LinkedHashMap<>();
    /** The local paths a request named for a job's files, by job id (else the stand-in names them). */
    private final Map<String, List<String>> named = new ConcurrentHashMap<>();
    /** Job ids made so far (the counter in each new id). */
    private int ids;

    private TrainingService(Path dir, ServerSocketChannel server) {
        this.dir = dir;
        this.server = server;
        this.acceptor = new Thread(this::accept, "jbits-training-service");
        acceptor.setDaemon(true);
    }

    /** Starts a stand-in with a few jobs in a new private directory. */
    static TrainingService start() throws IOException {
        Path dir = privateDirectory();
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(dir.resolve("jbits.sock")));
        } catch (IOException | RuntimeException e) {
            server.close();
            deleteQuietly(dir);
            throw e;
        }
        TrainingService s = new TrainingService(dir, server);
        Instant now = Instant.now();
        s.put(s.job(s.newId(), "nightly", JobState.TRANSFERRED, now.minusSeconds(3_600), 3));
        s.put(s.job(s.newId(), "videos", JobState.SUSPENDED, now.minusSeconds(600), 2));
        s.put(s.job(s.newId(), "update", JobState.TRANSFERRING, now.minusSeconds(60), 1));
        s.acceptor.start();
        return s;
    }

    /** Where the training's commands find the stand-in: its directory, as a service's state directory. */
    ServicePaths paths() {
        return new ServicePaths(dir, dir.resolve("jbits.sock"));
    }

    /** A directory for the files the training names. */
    Path dir() {
        return dir;
    }

    /** The ids of the jobs the stand-in holds, oldest first. */
    synchronized List<String> jobIds() {
        return List.copyOf(jobs.keySet());
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
        deleteQuietly(dir);
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread t = new Thread(() -> serve(channel), "jbits-training-exchange");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel channel) {
        try (channel; InputStream in = Channels.newInputStream(channel);
             OutputStream out = Channels.newOutputStream(channel)) {
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String body = readBody(in, head);
            String[] line = head.substring(0, head.indexOf("\r\n")).split(" ");
            String method = line[0];
            String target = line.length > 1 ? line[1] : "/";
            int q = target.indexOf('?');
            String path = q < 0 ? target : target.substring(0, q);
            if (method.equals("GET") && path.equals("/v1/events")) {
                streamEvents(in, out, target);
            } else {
                answer(out, method, path, body);
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, or asked what the stand-in does not answer: the training goes on
        }
    }

    private void answer(OutputStream out, String method, String path, String body) throws IOException {
        String[] parts = path.split("/");
        // parts: "", "v1", resource, [id, [action]]
        String resource = parts.length > 2 ? parts[2] : "";
        String id = parts.length > 3 ? parts[3] : null;
        String action = parts.length > 4 ? parts[4] : null;
        JobInfo job;
        switch (method + " " + resource + (id == null ? "" : " ID") + (action == null ? "" : " " + action)) {
            case "GET service" -> {
                send(out, 200, status());
                return;
            }
            case "GET jobs" -> {
                ByteArrayOutputStream list = new ByteArrayOutputStream();
                Json.writeJobList(snapshot(), list);
                send(out, 200, list.toString(StandardCharsets.UTF_8));
                return;
            }
            case "POST jobs" -> job = put(job(newId(), "training", JobState.SUSPENDED,
                    Instant.now(), 0));
            case "POST download-jobs" -> {
                String newId = newId();
                named.put(newId, localPaths(body)); // the command checks its files under the names it gave
                job = put(job(newId, "training", JobState.QUEUED, Instant.now(), 1));
            }
            case "GET jobs ID", "PATCH jobs ID" -> job = find(id);
            case "POST jobs ID files" -> {
                JobInfo j = find(id);
                job = j == null ? null : put(with(j, j.state(), j.files().size() + 1));
            }
            case "POST jobs ID resume" -> job = change(id, JobState.QUEUED);
            case "POST jobs ID suspend" -> job = change(id, JobState.SUSPENDED);
            case "POST jobs ID cancel" -> job = change(id, JobState.CANCELLED);
            case "POST jobs ID complete" -> {
                job = change(id, JobState.ACKNOWLEDGED);
                if (job != null) {
                    for (FileInfo f : job.files()) {
                        Path file = Path.of(f.localPath()).normalize();
                        if (file.startsWith(dir)) { // never outside the stand-in's own directory
                            Files.write(file, new byte[0]);
                        }
                    }
                }
            }
            default -> job = null;
        }
        if (job == null) {
            send(out, 404, "{\"code\":\"0x80200001\",\"symbol\":\"BG_E_NOT_FOUND\",\"message\":\"no such job or "
                    + "route in the training stand-in\"}");
            return;
        }
        send(out, method.equals("POST") && id == null ? 201 : 200, Json.compactJob(job));
    }

    /** One TRANSFERRED event of the job asked for, then the stream held open until the client closes it. */
    private void streamEvents(InputStream in, OutputStream out, String target) throws IOException {
        String jobId = parameter(target, "job");
        JobInfo job = jobId == null ? null : change(jobId, JobState.TRANSFERRED);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nCache-Control: no-cache\r\n"
                + "Jbits-Position: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        if (job != null) {
            out.write((event(1, job) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
        long end = System.currentTimeMillis() + STREAM_HOLD_MILLIS;
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(Math.max(0, end - System.currentTimeMillis()));
                in.close();
            } catch (InterruptedException | IOException e) {
                // ended by the client first
            }
        }, "jbits-training-stream-end");
        closer.setDaemon(true);
        closer.start();
        while (in.read() >= 0) {
            // nothing comes after the request: wait for the client to close
        }
        closer.interrupt();
    }

    private synchronized List<JobInfo> snapshot() {
        return new ArrayList<>(jobs.values());
    }

    /** The job of that id as the stand-in holds it, or null. */
    synchronized JobInfo find(String id) {
        return jobs.get(id);
    }

    private synchronized JobInfo put(JobInfo job) {
        jobs.put(job.id(), job);
        return job;
    }

    private synchronized JobInfo change(String id, JobState state) {
        JobInfo j = jobs.get(id);
        return j == null ? null : put(with(j, state, j.files().size()));
    }

    /** A download job of {@code files} files of 16 KiB each, transferred as far as its state says. */
    private JobInfo job(String id, String name, JobState state, Instant created, int files) {
        return with(new JobInfo(id, name, "", JobType.DOWNLOAD, state, Priority.NORMAL,
                System.getProperty("user.name", "user"), 0, 0, 0, 0, created, created, null, Duration.ofMinutes(10),
                Duration.ofDays(14), 0, null, 0, List.of(), null, 0, 0, Map.of(), null), state, files);
    }

    private JobInfo with(JobInfo j, JobState state, int fileCount) {
        boolean done = state == JobState.TRANSFERRED || state == JobState.ACKNOWLEDGED;
        long size = 16_384;
        List<FileInfo> files = new ArrayList<>(fileCount);
        for (int i = 0; i < fileCount; i++) {
            long got = done ? size : i == 0 && state == JobState.TRANSFERRING ? size / 2 : 0;
            List<String> given = named.getOrDefault(j.id(), List.of());
            files.add(new FileInfo(i, "http://127.0.0.1:1/training/f" + i + ".bin",
                    i < given.size() ? given.get(i) : dir.resolve(j.id() + "-f" + i + ".bin").toString(), size, got,
                    done));
        }
        long transferred = 0;
        for (FileInfo f : files) {
            transferred += f.bytesTransferred();
        }
        Instant now = Instant.now();
        return new JobInfo(j.id(), j.name(), j.description(), j.type(), state, j.priority(), j.owner(),
                size * fileCount, transferred, fileCount, done ? fileCount : 0, j.created(), now,
                done ? now : null, j.minRetryDelay(), j.noProgressTimeout(), 0, null,
                state == JobState.TRANSFERRING ? 1_048_576 : 0, files, null, 0, 0, Map.of(), null);
    }

    /** The service's status, as the service writes it. */
    String status() {
        return "{\"version\":\"" + JbitsVersion.current() + "\",\"pid\":" + STAND_IN_PID
                + ",\"owner\":\"" + System.getProperty("user.name", "user") + "\",\"home\":\"" + dir + "\",\"jobs\":"
                + jobIds().size() + "}";
    }

    /** A TRANSFERRED event of the stream, as the service writes it. */
    static String event(long position, JobInfo job) {
        return "{\"id\":" + position + ",\"kind\":\"transferred\",\"jobId\":\"" + job.id() + "\",\"seq\":1,"
                + "\"time\":\"" + Json.time(job.modified()) + "\",\"change\":\"STATE\",\"state\":\"" + job.state().name()
                + "\",\"bytesTotal\":" + job.bytesTotal() + ",\"bytesTransferred\":" + job.bytesTransferred()
                + ",\"filesTotal\":" + job.filesTotal() + ",\"filesTransferred\":" + job.filesTransferred()
                + ",\"error\":null,\"fileIndex\":-1,\"bytesPerSecond\":0}";
    }

    private static void send(OutputStream out, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String reason = switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            default -> "Not Found";
        };
        out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    private static String parameter(String target, String name) {
        int q = target.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : target.substring(q + 1).split("&")) {
            if (pair.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The request's head up to its blank line, or null when the connection ends first. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4 && head.size() < MAX_REQUEST_BYTES) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads (and drops) the request's body, by its Content-Length. */
    private static String readBody(InputStream in, String head) throws IOException {
        for (String h : head.split("\r\n")) {
            if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                int length = (int) Math.min(MAX_REQUEST_BYTES, Long.parseLong(h.substring(15).strip()));
                return new String(in.readNBytes(length), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    /**
     * The {@code localPath} values of a request body, in order: written by the client's own JSON writer, without
     * spaces, and the training's paths need no escapes, so no parser is loaded for them.
     */
    static List<String> localPaths(String body) {
        List<String> paths = new ArrayList<>();
        String key = "\"localPath\":\"";
        for (int at = body.indexOf(key); at >= 0; at = body.indexOf(key, at)) {
            int start = at + key.length();
            int end = body.indexOf('"', start);
            if (end < 0) {
                break;
            }
            paths.add(body.substring(start, end));
            at = end;
        }
        return paths;
    }

    /** A job id of the service's form (a lower-case UUID), made without a random source (none is needed). */
    private synchronized String newId() {
        return new UUID(0x6a626974L << 32 | ++ids, 0x8000000000000000L | System.nanoTime() & 0xfffffffffffL)
                .toString();
    }

    /**
     * A new directory of this user's alone (0700) under the system's temporary directory, named without a random
     * source ({@code Files.createTempDirectory} seeds a {@code SecureRandom}: classes and work no command needs).
     */
    private static Path privateDirectory() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        var owner = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        for (int attempt = 0; ; attempt++) {
            try {
                return Files.createDirectory(tmp.resolve("jbits-training-" + Long.toHexString(System.nanoTime())),
                        owner);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /** Deletes the directory and what is in it (the socket and the files the stand-in made: no subdirectories). */
    private static void deleteQuietly(Path dir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary directory left behind: the system's cleaner takes it
        }
    }
}
