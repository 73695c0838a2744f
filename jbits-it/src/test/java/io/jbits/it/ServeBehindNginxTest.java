package io.jbits.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code jbits serve --trusted-proxy} behind a real nginx ({@code proxy_pass}, request buffering off): uploads go
 * through with BITS_POST, and the client address of a session comes from {@code X-Forwarded-For} only when nginx
 * sent it.
 */
class ServeBehindNginxTest extends EndToEnd {

    private static final String PROTOCOL = "{7df0354d-249b-430f-820d-3d2a9bef4931}";

    private Path uploads;
    private ServeProcess serve;
    private NginxProxy proxy;

    @BeforeEach
    void start() throws IOException {
        uploads = Files.createDirectories(data.resolve("uploads"));
        serve = closeLater(ServeProcess.start(Files.createDirectories(data.resolve("served")),
                data.resolve("serve.log"), "--upload-dir", uploads.toString(), "--trusted-proxy",
                NginxProxy.SOURCE_ADDRESS + "/32"));
        proxy = closeLater(NginxProxy.start(serve.port()));
    }

    @Test
    void theJbitsCommandUploadsThroughNginx() throws Exception {
        Path source = TestData.randomFile(dest.resolve("inventory.bin"), 30 * MIB + 11, 31);

        cli.ok("transfer", "--upload", source.toString(), "http://127.0.0.1:" + proxy.port() + "/inv/inventory.bin");

        assertSameBytes(source, uploads.resolve("inv/inventory.bin"));
        assertTrue(proxy.accessLog().contains("\"BITS_POST /inv/inventory.bin"), proxy.accessLog());
    }

    @Test
    void forwardedForIsBelievedFromNginxAndNotFromAnyoneElse() throws Exception {
        // Through nginx, from 127.0.0.3, with a forged hop: nginx appends 127.0.0.3, which the server takes.
        String viaProxy = createSession(proxy.port(), "127.0.0.3", "/via-proxy.bin", "X-Forwarded-For: 6.6.6.6");
        // Straight to the server from 127.0.0.4, claiming to be someone else: the socket's address counts.
        String direct = createSession(serve.port(), "127.0.0.4", "/direct.bin", "X-Forwarded-For: 192.0.2.1");

        assertEquals("127.0.0.3", clientOf(viaProxy));
        assertEquals("127.0.0.4", clientOf(direct));
    }

    /** Sends a Create-Session without Content-Length from {@code local}; returns the session id. */
    private static String createSession(int port, String local, String path, String extraHeader) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.ofLiteral(local), 0)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("BITS_POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nBITS-Packet-Type: "
                    + "Create-Session\r\nBITS-Supported-Protocols: " + PROTOCOL + "\r\nContent-Length: 0\r\n"
                    + extraHeader + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
            String status = reader.readLine();
            assertTrue(status != null && status.contains(" 200 "), "Create-Session answered " + status);
            List<String> headers = new ArrayList<>();
            for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
                headers.add(line);
            }
            return headers.stream().filter(h -> h.regionMatches(true, 0, "BITS-Session-Id:", 0, 16))
                    .map(h -> h.substring(16).strip()).findFirst()
                    .orElseThrow(() -> new AssertionError("no session id in " + headers));
        }
    }

    private String clientOf(String sessionId) throws IOException {
        Path state = uploads.resolve(".jbits-sessions").resolve(sessionId.substring(1, 37)).resolve("state.properties");
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(state)) {
            properties.load(in);
        }
        return properties.getProperty("clientAddress");
    }
}
