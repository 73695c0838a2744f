package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler mounted by an application in its own Jetty server, under a context path. */
class EmbeddedHandlerTest {

    @TempDir
    Path temp;

    private Path uploads;
    private Server jetty;
    private ServerConnector connector;

    @BeforeEach
    void start() throws Exception {
        uploads = Files.createDirectories(temp.resolve("uploads"));
        jetty = new Server();
        connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        jetty.setHandler(new ContextHandler(new BitsUploadHandler(UploadConfig.of(uploads)), "/bits"));
        jetty.start();
    }

    @AfterEach
    void stop() throws Exception {
        jetty.stop();
    }

    @Test
    void pathsBelowTheContextMapIntoTheUploadDirectory() throws Exception {
        byte[] data = TestData.randomBytes(50_000, 41);
        try (BitsWire wire = new BitsWire(connector.getLocalPort())) {
            wire.upload("/bits/in/context.bin", data, 16_384);
        }

        assertEquals(TestData.sha256(data), TestData.sha256(uploads.resolve("in/context.bin")));
        assertFalse(Files.exists(uploads.resolve("bits")));
    }

    @Test
    void requestsThatAreNotBitsPacketsPassThrough() throws Exception {
        try (BitsWire wire = new BitsWire(connector.getLocalPort())) {
            assertEquals(404, wire.exchange("GET", "/bits/anything", java.util.List.of(), null).status());
            assertEquals(404, wire.exchange("PUT", "/bits/anything", java.util.List.of("Content-Length: 0"), null)
                    .status());
        }
        assertEquals(java.util.List.of(), TestData.filesBelow(uploads));
    }
}
