package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import io.jbits.server.config.ConfiguredDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code allow-get}: plain GET and HEAD of uploaded files, allowed by default, 403 when a directory says no. */
class UploadReadAccessTest {

    @TempDir
    Path dir;

    private Path served;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void files() throws IOException {
        served = Files.createDirectories(dir.resolve("served"));
        Files.writeString(served.resolve("public.txt"), "public");
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private BitsWire start(Handler uploads) throws IOException {
        FileServer server = FileServer.builder(new ServeConfig(served, "127.0.0.1", 0)).handler(uploads).start();
        open.add(server);
        BitsWire wire = new BitsWire(server.port());
        open.add(wire);
        return wire;
    }

    private static int get(BitsWire wire, String method, String target) throws IOException {
        return wire.exchange(method, target, List.of(), null).status();
    }

    @Test
    void anUploadDirectoryInsideTheServedOneIsReadableByDefault() throws Exception {
        Path incoming = Files.createDirectories(served.resolve("incoming"));
        BitsWire wire = start(new BitsUploadHandler(UploadConfig.of(incoming)));

        wire.upload("/a.bin", new byte[] {1, 2, 3}, 3);

        assertEquals(200, get(wire, "GET", "/incoming/a.bin"));
        assertEquals(200, get(wire, "GET", "/public.txt"));
    }

    @Test
    void withoutGetTheUploadedFilesAre403AndUploadsGoOn() throws Exception {
        Path incoming = Files.createDirectories(served.resolve("incoming"));
        BitsUploadHandler handler = new BitsUploadHandler(UploadConfig.of(incoming));
        handler.allowGet(false);
        BitsWire wire = start(handler);

        wire.upload("/a.bin", new byte[] {1, 2, 3}, 3);

        assertEquals(403, get(wire, "GET", "/incoming/a.bin"));
        assertEquals(403, get(wire, "HEAD", "/incoming/a.bin"));
        assertEquals(200, get(wire, "GET", "/public.txt"), "the served files outside the upload directory stay");
        assertEquals(404, get(wire, "GET", "/incoming/missing.bin"), "no file, nothing to deny");
        assertEquals(404, get(wire, "GET", "/incoming/.jbits-sessions/"), "the session directory stays hidden");
        assertEquals(3, Files.size(incoming.resolve("a.bin")));
    }

    @Test
    void aConfiguredDirectoryWithoutGetIs403BelowItsUrl() throws Exception {
        Files.createDirectories(served.resolve("open"));
        Files.createDirectories(served.resolve("closed"));
        Path config = Files.writeString(dir.resolve("serve.yaml"), """
                directories:
                  - url: /open
                    path: served/open
                  - url: /closed
                    path: served/closed
                    allow-get: false
                """);
        BitsWire wire = start(ConfiguredDirectories.load(config, UploadEvents.NONE, Duration.ofSeconds(5)));

        wire.upload("/open/a.bin", new byte[] {1}, 1);
        wire.upload("/closed/b.bin", new byte[] {2}, 1);

        assertEquals(200, get(wire, "GET", "/open/a.bin"));
        assertEquals(403, get(wire, "GET", "/closed/b.bin"));
        assertEquals(403, get(wire, "GET", "/closed/missing.bin"), "the whole URL space, as an IIS directory");
        assertEquals(1, Files.size(served.resolve("closed/b.bin")));
    }
}
