package io.jbits.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import io.jbits.server.upload.BitsUploadHandler;
import io.jbits.server.upload.NotifyType;
import io.jbits.server.upload.UploadConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Upload and upload-reply jobs from the jbits command to jbits serve, with both ends killed mid-upload. */
class UploadTest extends EndToEnd {
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killProcesses() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
    }

    /** Counts Create-Session packets and slows fragments down so a test can act mid-upload. */
    static final class PacketWatch extends Handler.Abstract {
        final AtomicInteger sessionsCreated = new AtomicInteger();
        volatile long fragmentDelayMillis;

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String type = request.getHeaders().get("BITS-Packet-Type");
            if ("create-session".equalsIgnoreCase(type)) {
                sessionsCreated.incrementAndGet();
            } else if ("fragment".equalsIgnoreCase(type) && fragmentDelayMillis > 0) {
                Thread.sleep(fragmentDelayMillis);
            }
            return false;
        }
    }

    private FileServer uploadServer(Path uploads, PacketWatch watch, UploadConfig config) throws IOException {
        Files.createDirectories(uploads);
        var builder = FileServer.builder(new ServeConfig(data, "127.0.0.1", 0));
        if (watch != null) {
            builder.handler(watch);
        }
        return closeLater(builder.handler(new BitsUploadHandler(config)).start());
    }

    @Test
    void anUploadThroughTheCommandArrivesWhole() throws Exception {
        Path uploads = data.resolve("uploads");
        FileServer server = uploadServer(uploads, null, UploadConfig.of(uploads));
        Path source = TestData.randomFile(dest.resolve("report.bin"), 37 * MIB + 5, 11);
        cli.ok("transfer", "--upload", source.toString(), server.baseUri() + "in/report.bin");
        assertSameBytes(source, uploads.resolve("in/report.bin"));
        JsonNode job = cli.listAll().path(0);
        assertEquals("ACKNOWLEDGED", state(job));
        assertEquals("upload", job.path("type").asText());
        assertEquals(37 * MIB + 5, bytesTransferred(job));
    }

    @Test
    void severalUploadsInOneCommandMakeOneJobEachAndArriveWhole() throws Exception {
        Path uploads = data.resolve("uploads");
        PacketWatch watch = new PacketWatch();
        FileServer server = uploadServer(uploads, watch, UploadConfig.of(uploads));
        List<String> args = new ArrayList<>(List.of("transfer", "--priority", "high", "--upload"));
        List<Path> sources = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Path source = TestData.randomFile(dest.resolve("s" + i + ".bin"), 64 * 1024 + i * 1000L, 40 + i);
            sources.add(source);
            args.add(source.toString());
            args.add(server.baseUri() + "many/s" + i + ".bin");
        }
        cli.ok(args.toArray(String[]::new));
        for (int i = 0; i < sources.size(); i++) {
            assertEquals(TestData.sha256(sources.get(i)), TestData.sha256(uploads.resolve("many/s" + i + ".bin")),
                    "s" + i);
        }
        JsonNode jobs = cli.listAll();
        assertEquals(12, jobs.size(), "one job per file");
        for (JsonNode job : jobs) {
            assertEquals("ACKNOWLEDGED", state(job));
            assertEquals("upload", job.path("type").asText());
        }
        assertEquals(12, watch.sessionsCreated.get(), "one upload session per job");
    }

    @Test
    void anUploadSetWithAMissingFileStartsNoJob() throws Exception {
        Path uploads = data.resolve("uploads");
        FileServer server = uploadServer(uploads, null, UploadConfig.of(uploads));
        Path source = TestData.randomFile(dest.resolve("here.bin"), 70_000, 60);
        Os.Result result = cli.run("transfer", "--upload", source.toString(), server.baseUri() + "here.bin",
                dest.resolve("missing.bin").toString(), server.baseUri() + "missing.bin");
        assertTrue(!result.ok() && result.stderr().contains("missing.bin"), result.stderr());
        assertEquals(0, cli.listAll().size(), "all or none: no job was created");
        assertTrue(Files.notExists(uploads.resolve("here.bin")));
    }

    @Test
    void anUploadReplyJobFetchesTheApplicationsReply() throws Exception {
        HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/app", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            byte[] reply = ("received " + body.length + " bytes, sha256 " + TestData.sha256(body))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        app.start();
        closeLater(() -> app.stop(0));
        Path uploads = data.resolve("uploads");
        URI appUri = URI.create("http://127.0.0.1:" + app.getAddress().getPort() + "/app");
        FileServer server = uploadServer(uploads, null,
                UploadConfig.of(uploads).withNotification(appUri, NotifyType.BY_VALUE));
        byte[] content = TestData.randomBytes(300_000, 12);
        Path source = Files.write(dest.resolve("crash-dump.bin"), content);
        Path reply = dest.resolve("reply.txt");
        cli.ok("transfer", "--upload-reply", source.toString(), server.baseUri() + "dumps/crash.bin",
                "--reply-file", reply.toString());
        assertEquals("received 300000 bytes, sha256 " + TestData.sha256(content),
                Files.readString(reply, StandardCharsets.UTF_8));
    }

    @Test
    void killingTheServiceMidUploadContinuesTheSameSession() throws Exception {
        Path uploads = data.resolve("uploads");
        PacketWatch watch = new PacketWatch();
        watch.fragmentDelayMillis = 40;
        FileServer server = uploadServer(uploads, watch, UploadConfig.of(uploads));
        Path source = TestData.randomFile(dest.resolve("big.bin"), 24 * MIB + 77, 13);
        String job = cli.ok("create", "--type", "upload", "--priority", "foreground", "up").strip();
        cli.ok("add", job, server.baseUri() + "big.bin", source.toString());
        cli.ok("resume", job);
        cli.awaitInfo(job, "some bytes acknowledged", STATE_TIMEOUT, info -> bytesTransferred(info) > 0);
        cli.kill9Service();
        watch.fragmentDelayMillis = 0;
        cli.ok("resume", job); // starts the service again; the job was re-queued anyway
        cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
        complete(job);
        assertSameBytes(source, uploads.resolve("big.bin"));
        assertEquals(1, watch.sessionsCreated.get(), "the restarted service continued the same upload session");
    }

    @Test
    void killingTheServerMidUploadLosesNothing() throws Exception {
        Path uploads = Files.createDirectories(data.resolve("uploads"));
        Path served = Files.createDirectories(data.resolve("served"));
        int port = Os.freeLoopbackPort();
        Process first = startServe(served, uploads, port);
        Path source = TestData.randomFile(dest.resolve("huge.bin"), 400L * MIB + 3, 14);
        String job = cli.ok("create", "--type", "upload", "--priority", "foreground", "up2").strip();
        cli.ok("set", job, "--min-retry-delay", "1s");
        cli.ok("add", job, "http://127.0.0.1:" + port + "/huge.bin", source.toString());
        cli.ok("resume", job);
        // watch the server's own session data (a client poll is too slow for a fast loopback upload), then SIGKILL
        long received = awaitSessionData(uploads, 8 * MIB);
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertTrue(received < 400L * MIB, "killed before the end: " + received);
        assertTrue(Files.notExists(uploads.resolve("huge.bin")), "nothing at the destination before the end");
        startServe(served, uploads, port);
        cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
        complete(job);
        assertSameBytes(source, uploads.resolve("huge.bin"));
        assertTrue(cli.info(job).path("errorCount").asInt() >= 1, "the job saw the server go away");
    }

    /** Waits until a session's data file under the upload dir holds more than {@code bytes}; returns its size. */
    private static long awaitSessionData(Path uploads, long bytes) throws IOException, InterruptedException {
        Path sessions = uploads.resolve(".jbits-sessions");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(sessions)) {
                try (var files = Files.walk(sessions)) {
                    long biggest = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).max()
                            .orElse(0);
                    if (biggest > bytes) {
                        return biggest;
                    }
                } catch (java.io.UncheckedIOException e) {
                    // a session file came or went while walking: look again
                }
            }
            Thread.sleep(2);
        }
        throw new AssertionError("the upload never reached " + bytes + " bytes on the server");
    }

    private Process startServe(Path served, Path uploads, int port) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Cli.MAIN,
                "serve", served.toString(), "--upload-dir", uploads.toString(), "--port", Integer.toString(port));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(data.resolve("serve-" + processes.size() + ".log").toFile()).start();
        processes.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Os.answers(port)) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                throw new IOException("jbits serve did not start on port " + port + ": "
                        + Files.readString(data.resolve("serve-" + (processes.size() - 1) + ".log")));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        return p;
    }
}
