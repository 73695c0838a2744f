package io.jbits.transport.http.upload;

import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import io.jbits.server.upload.BitsUploadHandler;
import io.jbits.server.upload.UploadConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Handler;

/**
 * The {@code jbits serve} instances of one test: real {@link FileServer}s with a {@link BitsUploadHandler} behind
 * optional test handlers, on loopback, all stopped by {@link #close()}.
 */
final class Servers implements AutoCloseable {

    /** One running server: its upload handler and the URL of a file name in its upload directory. */
    record Running(FileServer server, BitsUploadHandler handler) {
        URI url(String name) {
            return server.baseUri().resolve(name);
        }

        int port() {
            return server.port();
        }
    }

    private final Path root;
    private final List<FileServer> started = new ArrayList<>();

    Servers(Path root) {
        this.root = root;
    }

    /** Starts a server on 127.0.0.1 and a free port. */
    Running start(UploadConfig config, Handler... front) throws IOException {
        return start("127.0.0.1", 0, config, front);
    }

    /** Starts a server on {@code address:port} (port 0 for a free one), with {@code front} before the uploads. */
    Running start(String address, int port, UploadConfig config, Handler... front) throws IOException {
        Path served = Files.createDirectories(root.resolve("served"));
        BitsUploadHandler handler = new BitsUploadHandler(config);
        FileServer.Builder builder = FileServer.builder(new ServeConfig(served, address, port));
        for (Handler h : front) {
            builder.handler(h);
        }
        FileServer server = builder.handler(handler).start();
        synchronized (started) {
            started.add(server);
        }
        return new Running(server, handler);
    }

    /** Starts a server that takes no uploads (501 to every packet but Ping). */
    FileServer startWithoutUploads() throws IOException {
        Path served = Files.createDirectories(root.resolve("served"));
        FileServer server = FileServer.builder(new ServeConfig(served, "127.0.0.1", 0))
                .handler(BitsUploadHandler.uploadsDisabled()).start();
        synchronized (started) {
            started.add(server);
        }
        return server;
    }

    @Override
    public void close() {
        synchronized (started) {
            for (FileServer server : started) {
                server.close();
            }
            started.clear();
        }
    }
}
