package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import io.jbits.server.TestCa;
import io.jbits.server.TrustedProxies;
import io.jbits.server.auth.BasicAuthHandler;
import io.jbits.server.auth.UserFile;
import io.jbits.server.tls.TlsFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** Uploads with {@code --users}: Basic authentication on every packet and GET, and sessions owned by their user. */
class AuthenticatedUploadsTest {

    @TempDir
    Path dir;

    private Path uploads;
    private Path served;
    private Path usersFile;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void files() throws IOException {
        uploads = Files.createDirectories(dir.resolve("uploads"));
        served = Files.createDirectories(dir.resolve("served"));
        Files.writeString(served.resolve("public.txt"), "for users only");
        usersFile = Files.writeString(dir.resolve("users"), entry("alice", "open sesame") + "\n"
                + entry("bob", "builder") + "\n");
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private static String entry(String user, String password) {
        return user + ":" + BCrypt.hashpw(password, BCrypt.gensalt(4)).replace("$2a$", "$2y$");
    }

    static String basic(String user, String password) {
        return "Authorization: Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    private FileServer start(boolean allowOverHttp, TlsFiles tls) throws IOException {
        FileServer.Builder builder = FileServer.builder(new ServeConfig(served, "127.0.0.1", 0))
                .handler(new BitsUploadHandler(UploadConfig.of(uploads)))
                .authentication(new BasicAuthHandler(UserFile.load(usersFile), allowOverHttp, Duration.ofSeconds(1)))
                .watchInterval(Duration.ofSeconds(1));
        if (tls != null) {
            builder.tls(tls);
        }
        FileServer server = builder.start();
        open.add(server);
        return server;
    }

    private BitsWire wire(FileServer server) throws IOException {
        BitsWire wire = new BitsWire(server.port());
        open.add(wire);
        return wire;
    }

    @Test
    void missingOrWrongCredentialsGet401WithAChallengeAndTheRightOnesGetIn() throws Exception {
        FileServer server = start(true, null);
        BitsWire anonymous = wire(server);
        BitsWire wrong = wire(server).always(basic("alice", "open sesame?"));
        BitsWire right = wire(server).always(basic("alice", "open sesame"));

        BitsWire.Reply none = anonymous.ping("/x.bin");
        BitsWire.Reply refused = wrong.create("/x.bin");
        BitsWire.Reply fragmentRefused = wrong.fragment("/x.bin", "{A0FF5911-4144-45B3-BF27-27AFC8EC8A67}",
                new byte[5000], 0, 5000);

        assertEquals(401, none.status());
        assertEquals("Basic realm=\"jbits\", charset=\"UTF-8\"", none.header("WWW-Authenticate"));
        assertEquals(401, refused.status());
        assertEquals(401, fragmentRefused.status(), "answered after reading the body: the connection goes on");
        assertEquals(401, wrong.ping("/x.bin").status());
        assertEquals(200, right.ping("/x.bin").status());
        right.upload("/in/report.bin", "crash report".getBytes(StandardCharsets.US_ASCII), 5);
        assertEquals("crash report", Files.readString(uploads.resolve("in/report.bin")));
        assertEquals(401, anonymous.exchange("GET", "/public.txt", List.of(), null).status());
        assertEquals("for users only", new String(right.exchange("GET", "/public.txt", List.of(), null).body(),
                StandardCharsets.UTF_8));
        assertEquals(200, anonymous.exchange("GET", "/healthz", List.of(), null).status(), "no login for health");
    }

    @Test
    void anotherUsersPacketsForASessionGetSessionNotFoundAndChangeNothing() throws Exception {
        FileServer server = start(true, null);
        BitsWire alice = wire(server).always(basic("alice", "open sesame"));
        BitsWire bob = wire(server).always(basic("bob", "builder"));
        byte[] data = TestData.randomBytes(20_000, 3);
        String id = alice.createSession("/alice.bin");
        assertEquals(200, alice.fragment("/alice.bin", id, data, 0, 10_000).status());

        BitsWire.Reply fragment = bob.fragment("/alice.bin", id, data, 10_000, 10_000);
        BitsWire.Reply closed = bob.close("/alice.bin", id);
        BitsWire.Reply cancelled = bob.cancel("/alice.bin", id);

        for (BitsWire.Reply reply : List.of(fragment, closed, cancelled)) {
            assertEquals(500, reply.status(), reply::toString);
            assertEquals("0x8020001F", reply.header("BITS-Error-Code"));
            assertNull(reply.header("BITS-Received-Content-Range"));
        }
        assertEquals(200, alice.fragment("/alice.bin", id, data, 10_000, 10_000).status());
        assertEquals(200, alice.close("/alice.bin", id).status());
        assertArrayEquals(data, Files.readAllBytes(uploads.resolve("alice.bin")));
    }

    @Test
    void plainHttpIsRefusedWithoutAskingForAPasswordUnlessAllowed() throws Exception {
        FileServer server = start(false, null);
        BitsWire right = wire(server).always(basic("alice", "open sesame"));

        BitsWire.Reply refused = right.ping("/x.bin");

        assertEquals(403, refused.status());
        assertNull(refused.header("WWW-Authenticate"));
        assertEquals(200, right.exchange("GET", "/healthz", List.of(), null).status());
    }

    @Test
    void overHttpsTheCredentialsAreTaken() throws Exception {
        TestCa ca = TestCa.create();
        TlsFiles tls = new TlsFiles(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        ca.issue(tls.certFile(), tls.keyFile());
        FileServer server = start(false, tls);
        SSLSocket socket = (SSLSocket) ca.clientContext().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.port());
        BitsWire wire = new BitsWire(socket);
        open.add(wire);

        assertEquals(401, wire.ping("/x.bin").status());
        wire.always(basic("bob", "builder"));
        wire.upload("/secure.bin", "over TLS".getBytes(StandardCharsets.US_ASCII), 3);
        assertEquals("over TLS", Files.readString(uploads.resolve("secure.bin")));
    }

    @Test
    void aUserAddedToTheFileGetsInWithoutARestart() throws Exception {
        FileServer server = start(true, null);
        BitsWire carol = wire(server).always(basic("carol", "new here"));
        assertEquals(401, carol.ping("/x.bin").status());

        Files.writeString(usersFile, Files.readString(usersFile) + entry("carol", "new here") + "\n");

        org.awaitility.Awaitility.await("carol is let in").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250)).until(() -> carol.ping("/x.bin").status() == 200);
    }

    @Test
    void aPasswordIsTakenOverPlainHttpOnlyFromATrustedProxyThatReceivedItOverHttps() throws Exception {
        FileServer server = FileServer.builder(new ServeConfig(served, "127.0.0.1", 0))
                .handler(new BitsUploadHandler(UploadConfig.of(uploads)))
                .authentication(new BasicAuthHandler(UserFile.load(usersFile), false, Duration.ofSeconds(5)))
                .trustedProxies(TrustedProxies.parse("127.0.0.2"))
                .start();
        open.add(server);
        String auth = basic("alice", "open sesame");
        try (BitsWire proxy = new BitsWire(server.port(), InetAddress.ofLiteral("127.0.0.2"));
                BitsWire stranger = new BitsWire(server.port(), InetAddress.ofLiteral("127.0.0.3"))) {
            assertEquals(200, proxy.exchange("GET", "/public.txt", List.of(auth, "X-Forwarded-Proto: https"), null)
                    .status(), "the proxy took it over HTTPS");
            assertEquals(403, proxy.exchange("GET", "/public.txt", List.of(auth, "X-Forwarded-Proto: http"), null)
                    .status(), "the proxy took it over plain HTTP");
            assertEquals(403, stranger.exchange("GET", "/public.txt", List.of(auth, "X-Forwarded-Proto: https"), null)
                    .status(), "no proxy: its header counts for nothing");
        }
    }
}
