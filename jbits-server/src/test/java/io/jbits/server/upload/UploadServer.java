package io.jbits.server.upload;

import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** A real {@code jbits serve} on 127.0.0.1 and an ephemeral port, with a {@link BitsUploadHandler}, for tests. */
final class UploadServer implements AutoCloseable {

    final FileServer server;
    final BitsUploadHandler handler;

    private UploadServer(FileServer server, BitsUploadHandler handler) {
        this.server = server;
        this.handler = handler;
    }

    /** Serves {@code servedDir} and takes uploads per {@code config}. */
    static UploadServer start(Path servedDir, UploadConfig config) throws IOException {
        return start(servedDir, config, BitsUploadHandler.NOTIFY_TIMEOUT);
    }

    static UploadServer start(Path servedDir, UploadConfig config, Duration notifyTimeout) throws IOException {
        Files.createDirectories(servedDir);
        BitsUploadHandler handler = new BitsUploadHandler(config, Clock.systemUTC(), notifyTimeout);
        FileServer server = FileServer.builder(new ServeConfig(servedDir, "127.0.0.1", 0)).handler(handler).start();
        return new UploadServer(server, handler);
    }

    int port() {
        return server.port();
    }

    BitsWire wire() throws IOException {
        return new BitsWire(port());
    }

    @Override
    public void close() {
        server.close();
    }
}
