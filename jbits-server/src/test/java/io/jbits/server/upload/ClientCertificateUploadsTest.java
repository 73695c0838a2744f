package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import io.jbits.server.TestCa;
import io.jbits.server.auth.BasicAuthHandler;
import io.jbits.server.auth.UserFile;
import io.jbits.server.tls.TlsFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** Client certificates ({@code --tls-client-ca}): the certificate's CN is the user, with or without passwords. */
class ClientCertificateUploadsTest {

    @TempDir
    Path dir;

    private final TestCa serverCa = TestCa.create();
    private final TestCa clientCa = TestCa.create();
    private final TestCa strangerCa = TestCa.create();
    private final List<AutoCloseable> open = new ArrayList<>();
    private Path uploads;
    private TlsFiles tls;
    private Path clientCaFile;
    private Path usersFile;

    @BeforeEach
    void files() throws IOException {
        uploads = Files.createDirectories(dir.resolve("uploads"));
        tls = new TlsFiles(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        serverCa.issue(tls.certFile(), tls.keyFile());
        clientCaFile = clientCa.writeCaFile(dir.resolve("clients.pem"));
        usersFile = Files.writeString(dir.resolve("users"), "bob:" + BCrypt.hashpw("builder", BCrypt.gensalt(4))
                + "\n");
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private FileServer start(boolean passwordsToo) throws IOException {
        BitsUploadHandler handler = new BitsUploadHandler(UploadConfig.of(uploads));
        handler.storeByUser(UserPath.of("{user}"));
        FileServer.Builder builder = FileServer.builder(new ServeConfig(Files.createDirectories(dir.resolve("www")),
                        "127.0.0.1", 0))
                .handler(handler)
                .tls(tls)
                .clientCertificates(clientCaFile);
        if (passwordsToo) {
            builder.authentication(new BasicAuthHandler(UserFile.load(usersFile), false, Duration.ofSeconds(5)));
        }
        FileServer server = builder.start();
        open.add(server);
        return server;
    }

    private BitsWire wire(FileServer server, SSLContext context) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.port());
        socket.startHandshake();
        BitsWire wire = new BitsWire(socket);
        open.add(wire);
        return wire;
    }

    @Test
    void aCertificateOfTheTrustedCaUploadsAsItsCommonNameWithoutAPassword() throws Exception {
        FileServer server = start(true);
        BitsWire alice = wire(server, clientCa.clientContext("alice", serverCa.certificate()));
        BitsWire bob = wire(server, serverCa.clientContext()).always(AuthenticatedUploadsTest.basic("bob", "builder"));
        BitsWire anonymous = wire(server, serverCa.clientContext());

        alice.upload("/a.bin", new byte[] {1, 2, 3}, 2);
        bob.upload("/b.bin", new byte[] {4, 5}, 2);

        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(uploads.resolve("alice/a.bin")));
        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(uploads.resolve("bob/b.bin")));
        assertEquals(401, anonymous.ping("/x.bin").status(), "without a certificate, a password is asked for");
    }

    @Test
    void aCertificateOfAnotherCaFailsTheHandshake() throws Exception {
        FileServer server = start(true);

        assertThrows(IOException.class, () -> wire(server, strangerCa.clientContext("alice",
                serverCa.certificate())).ping("/x.bin"));
    }

    @Test
    void withoutUsersACertificateIsRequired() throws Exception {
        FileServer server = start(false);

        assertThrows(IOException.class, () -> wire(server, serverCa.clientContext()).ping("/x.bin"));
        assertEquals(200, wire(server, clientCa.clientContext("carol", serverCa.certificate())).ping("/x.bin")
                .status());
    }

    @Test
    void aSessionBelongsToTheCertificatesUser() throws Exception {
        FileServer server = start(false);
        BitsWire alice = wire(server, clientCa.clientContext("alice", serverCa.certificate()));
        BitsWire mallory = wire(server, clientCa.clientContext("mallory", serverCa.certificate()));
        byte[] data = TestData.randomBytes(2000, 5);
        String id = alice.createSession("/a.bin");

        BitsWire.Reply stolen = mallory.fragment("/a.bin", id, data, 0, 2000);
        BitsWire.Reply cancelled = mallory.cancel("/a.bin", id);

        assertEquals(500, stolen.status());
        assertEquals("0x8020001F", stolen.header("BITS-Error-Code"), "BG_E_SESSION_NOT_FOUND");
        assertEquals(500, cancelled.status());
        alice.uploadFragments("/a.bin", id, data, 1000);
        assertEquals(200, alice.close("/a.bin", id).status());
        assertArrayEquals(data, Files.readAllBytes(uploads.resolve("alice/a.bin")));
        assertFalse(Files.exists(uploads.resolve("mallory")));
    }

    @Test
    void aCommonNameThatIsNoDirectoryNameIsDenied() throws Exception {
        FileServer server = start(false);
        BitsWire dots = wire(server, clientCa.clientContext("..", serverCa.certificate()));

        BitsWire.Reply refused = dots.create("/a.bin");

        assertEquals(403, refused.status());
        assertEquals("0x80070005", refused.header("BITS-Error-Code"), "E_ACCESSDENIED");
    }
}
