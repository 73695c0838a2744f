package io.jbits.it;

import io.jbits.api.BitsCodes;
import io.jbits.spi.JobOptions;
import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.Validator;
import io.jbits.transport.http.HttpTransport;
import io.jbits.transport.http.HttpTransportConfig;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP transport through a real squid with Basic proxy authentication, driven with job options directly (the
 * way the engine hands them over): plain http through the proxy, https through CONNECT, and what a missing or
 * wrong proxy password gives.
 */
@Tag("e2e")
class ProxyTransportTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    Path dir;
    private final HttpTransport transport = HttpTransport.create(HttpTransportConfig.defaults());
    private Squid squid;
    private Nginx nginx;
    private Server https;

    @AfterEach
    void stop() throws Exception {
        transport.close();
        if (squid != null) {
            squid.close();
        }
        if (nginx != null) {
            nginx.close();
        }
        if (https != null) {
            https.stop();
        }
    }

    private JobOptions throughSquid(String user, String password) {
        JobOptions o = JobOptions.empty().with("proxy.usage", "override").with("proxy.list", squid.url());
        return user == null ? o : o.with("cred.proxy.basic.user", user).with("cred.proxy.basic.secret", password);
    }

    private byte[] fetch(String url, JobOptions options) throws Exception {
        RemoteBody body = transport.open(new RemoteRequest(URI.create(url), 0, Validator.NONE, "alice",
                options.toJson()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try (body) {
            for (int n; (n = body.read(buffer.clear())) >= 0; ) {
                out.write(buffer.array(), 0, n);
            }
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void aDownloadGoesThroughTheProxyWithBasicProxyCredentials() throws Exception {
        Path file = TestData.randomFile(dir.resolve("data/p.bin"), 3 * TestData.MIB + 1, 41);
        nginx = Nginx.start(dir.resolve("data"), "10m");
        squid = Squid.start("alice", "pr0xy");
        byte[] got = fetch(nginx.url("/p.bin"), throughSquid("alice", "pr0xy"));
        assertEquals(TestData.sha256(file), sha256(got));
        assertTrue(squid.awaitLogged(r -> r.url().equals(nginx.url("/p.bin")) && r.user().equals("alice")
                && r.status() == 200), "squid's log shows the download by alice: " + squid.log());
    }

    @Test
    void aWrongProxyPasswordIsAFatal407ThatSaysSo() throws Exception {
        TestData.randomFile(dir.resolve("data/p.bin"), 1000, 42);
        nginx = Nginx.start(dir.resolve("data"), "10m");
        squid = Squid.start("alice", "pr0xy");
        TransferFailure f = assertThrows(TransferFailure.class,
                () -> fetch(nginx.url("/p.bin"), throughSquid("alice", "wrong")));
        assertEquals(BitsCodes.forHttpStatus(407), f.error().code());
        assertFalse(f.error().transientError());
        assertTrue(f.getMessage().contains("refused the job's basic credentials")
                && f.getMessage().contains(squid.url().substring(7)), f.getMessage());
        TransferFailure none = assertThrows(TransferFailure.class,
                () -> fetch(nginx.url("/p.bin"), throughSquid(null, null)));
        assertTrue(none.getMessage().contains("no proxy credentials"), none.getMessage());
        assertTrue(nginx.requests("/p.bin").isEmpty(), "nothing reached the server");
    }

    @Test
    void httpsGoesThroughTheProxyWithConnect() throws Exception {
        byte[] content = TestData.randomBytes(2 * (int) TestData.MIB + 3, 43);
        int port = startHttps(content);
        squid = Squid.start("alice", "pr0xy");
        JobOptions o = throughSquid("alice", "pr0xy").with("tls.ca-file", dir.resolve("server.pem").toString());
        byte[] got = fetch("https://127.0.0.1:" + port + "/s.bin", o);
        assertEquals(sha256(content), sha256(got));
        transport.close(); // squid logs a tunnel when it closes
        org.awaitility.Awaitility.await("squid's log shows the tunnel").atMost(Duration.ofSeconds(30))
                .until(() -> squid.log().stream().anyMatch(r -> r.method().equals("CONNECT")
                        && r.url().equals("127.0.0.1:" + port) && r.user().equals("alice") && r.status() == 200));
    }

    /** An HTTPS server on 127.0.0.1 with a self-signed certificate whose PEM is {@code dir/server.pem}. */
    private int startHttps(byte[] content) throws Exception {
        Path store = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        for (List<String> args : List.of(
                List.of("-genkeypair", "-alias", "s", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-ext",
                        "san=ip:127.0.0.1", "-validity", "2"),
                List.of("-exportcert", "-alias", "s", "-rfc", "-file", dir.resolve("server.pem").toString()))) {
            List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
            command.addAll(args);
            command.addAll(List.of("-keystore", store.toString(), "-storepass", PASSWORD, "-storetype", "PKCS12"));
            Os.Result r = Os.run(command, Duration.ofSeconds(60), new ProcessBuilder());
            assertTrue(r.ok(), "keytool: " + r.stdout() + r.stderr());
        }
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(store.toString());
        tls.setKeyStorePassword(PASSWORD);
        https = new Server();
        ServerConnector connector = new ServerConnector(https, tls, new HttpConnectionFactory(new HttpConfiguration()));
        connector.setHost("127.0.0.1");
        https.addConnector(connector);
        https.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.getHeaders().put("Content-Length", content.length);
                try (OutputStream out = Content.Sink.asOutputStream(response)) {
                    out.write(content);
                    callback.succeeded();
                } catch (Exception e) {
                    callback.failed(e);
                }
                return true;
            }
        });
        https.start();
        return connector.getLocalPort();
    }
}
