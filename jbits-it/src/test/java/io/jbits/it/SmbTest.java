package io.jbits.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.Validator;
import io.jbits.transport.smb.SmbTransport;
import io.jbits.transport.smb.SmbTransportConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SMB remote names end to end: the jbits command and service against a real Samba on loopback, with the share's
 * own user and password, anonymous and guest logons, a killed service, and smbd itself stopped mid-transfer.
 */
class SmbTest extends EndToEnd {
    /**
     * The relay's pace: a 24 MiB file takes 6 s, long enough to act in the middle from this JVM (kill smbd or the
     * service). Tests that act through the CLI, whose calls take seconds on a loaded machine, go slower.
     */
    private static final long RELAY_RATE = 4 * MIB;

    private Samba samba;
    private Path passwordFile;

    @BeforeEach
    void startSamba() throws IOException {
        samba = Samba.start();
        passwordFile = Files.writeString(dest.resolve("smb.pw"), Samba.PASSWORD + "\n");
    }

    @AfterEach
    void stopSamba() {
        if (samba != null) {
            samba.close();
        }
    }

    private Path shared(Path dir, String name, long size, long seed) throws IOException {
        Path f = TestData.randomFile(dir.resolve(name), size, seed);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        return f;
    }

    private String credentialed(String job) {
        return cli.ok("set", job, "--credentials", "server", "ntlm", Samba.USER, "--password-file",
                passwordFile.toString());
    }

    @Test
    void downloadsFromAPrivateShareWithTheUsersNtlmCredentials() throws Exception {
        Path source = shared(samba.data(), "private.bin", 5 * MIB + 77, 11);
        String url = "//127.0.0.1:" + samba.port() + "/data/private.bin";
        cli.ok("transfer", "--credentials", "server", "ntlm", "JBITS\\" + Samba.USER, "--password-file",
                passwordFile.toString(), url, dest.resolve("private.bin").toString());
        assertSameBytes(source, dest.resolve("private.bin"));
    }

    @Test
    void downloadsFromAGuestShareAnonymouslyByItsUncName() throws Exception {
        Path source = shared(samba.publicDir(), "open file #1.bin", 3 * MIB + 5, 12);
        String unc = "\\\\127.0.0.1:" + samba.port() + "\\public\\open file #1.bin";
        String job = cli.createJob("guest", "foreground");
        Path out = add(job, unc, "open.bin");
        assertEquals(samba.url("public", "open%20file%20%231.bin"), cli.info(job).path("files").get(0)
                .path("remoteUrl").asText(), "the UNC name is stored as one smb: URL");
        cli.ok("resume", job);
        cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
        complete(job);
        assertSameBytes(source, out);
    }

    @Test
    void uploadsLandWholeUnderTheirFinalNameOnly() throws Exception {
        Files.createDirectories(samba.data().resolve("in"));
        Files.setPosixFilePermissions(samba.data().resolve("in"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Path local = TestData.randomFile(dest.resolve("report.bin"), 9 * MIB + 123, 13);
        cli.ok("transfer", "--upload", local.toString(), "--credentials", "server", "ntlm", Samba.USER,
                "--password-file", passwordFile.toString(), samba.url("data", "in/report.bin"));
        Path landed = samba.data().resolve("in/report.bin");
        assertSameBytes(local, landed);
        try (Stream<Path> files = Files.list(samba.data().resolve("in"))) {
            assertEquals(List.of("report.bin"), files.map(p -> p.getFileName().toString()).toList(),
                    "no temporary file is left on the share");
        }
    }

    @Test
    void aWrongPasswordIsAFatalLogonErrorThatSaysSo() throws Exception {
        shared(samba.data(), "x.bin", 1000, 14);
        Path wrong = Files.writeString(dest.resolve("wrong.pw"), "not-the-password-xyzzy");
        String job = cli.createJob("wrong password", "foreground");
        cli.ok("set", job, "--credentials", "server", "ntlm", Samba.USER, "--password-file", wrong.toString());
        add(job, samba.url("data", "x.bin"), "x.bin");
        cli.ok("resume", job);
        JsonNode error = cli.awaitState(job, "ERROR", STATE_TIMEOUT).path("error");
        assertEquals("0x8007052E", error.path("code").asText(), error.toString());
        assertEquals("ERROR_LOGON_FAILURE", error.path("symbol").asText());
        assertFalse(error.path("transient").asBoolean());
        String message = error.path("message").asText();
        assertTrue(message.contains("as " + Samba.USER) && message.contains("unknown user name or bad password"),
                message);
        assertFalse(message.contains("xyzzy"), "the password is not in the message: " + message);
        assertFalse(Files.readString(cli.home().resolve("service.log")).contains("not-the-password-xyzzy"));
    }

    @Test
    void aMissingShareAndAMissingFileAreFatalErrors() throws Exception {
        String noShare = cli.createJob("no share", "foreground");
        credentialed(noShare);
        add(noShare, samba.url("nosuchshare", "x.bin"), "a.bin");
        String noDir = cli.createJob("no directory", "foreground");
        credentialed(noDir);
        add(noDir, samba.url("data", "dir/none.bin"), "b.bin");
        String noFile = cli.createJob("no file", "foreground");
        credentialed(noFile);
        add(noFile, samba.url("data", "none.bin"), "c.bin");
        cli.ok("resume", noShare);
        cli.ok("resume", noDir);
        cli.ok("resume", noFile);

        JsonNode e1 = cli.awaitState(noShare, "ERROR", STATE_TIMEOUT).path("error");
        assertEquals("ERROR_BAD_NET_NAME", e1.path("symbol").asText(), e1.toString());
        assertTrue(e1.path("message").asText().contains("no share 'nosuchshare'"), e1.toString());
        JsonNode e2 = cli.awaitState(noDir, "ERROR", STATE_TIMEOUT).path("error");
        assertEquals("ERROR_PATH_NOT_FOUND", e2.path("symbol").asText(), e2.toString());
        JsonNode e3 = cli.awaitState(noFile, "ERROR", STATE_TIMEOUT).path("error");
        assertEquals("ERROR_FILE_NOT_FOUND", e3.path("symbol").asText(), e3.toString());
        assertTrue(e3.path("message").asText().contains("none.bin"), e3.toString());
        for (JsonNode e : List.of(e1, e2, e3)) {
            assertEquals("REMOTE_FILE", e.path("context").asText());
            assertFalse(e.path("transient").asBoolean());
        }
    }

    @Test
    void aKilledServiceResumesFromWhereItWasNotFromZero() throws Exception {
        Path source = shared(samba.data(), "big.bin", 24 * MIB + 99, 15);
        try (ThrottledRelay relay = ThrottledRelay.start(samba.port(), 2 * MIB)) {
            String job = cli.createJob("smb crash", "normal");
            credentialed(job);
            Path out = add(job, Samba.url(relay.port(), "data", "big.bin"), "big.bin");
            cli.ok("resume", job);
            cli.awaitInfo(job, "past 8 MiB", STATE_TIMEOUT, info -> bytesTransferred(info) > 8 * MIB);

            long killed = cli.kill9Service();
            cli.info(job); // starts the service again
            assertNotEquals(killed, cli.servicePid().orElseThrow());
            cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
            complete(job);
            assertSameBytes(source, out);

            long size = Files.size(source);
            long relayed = relay.bytesToClients();
            assertTrue(relayed <= size + 6 * MIB, "bytes read from the share in all (" + relayed + ") should be "
                    + "at most the size (" + size + ") + 6 MiB: a restart from zero would re-read 8 MiB");
        }
    }

    @Test
    void aFileChangedOnTheShareWhileSuspendedRestartsFromZero() throws Exception {
        long size = 16 * MIB;
        Path source = shared(samba.data(), "moving.bin", size, 17);
        try (ThrottledRelay relay = ThrottledRelay.start(samba.port(), MIB)) {
            String job = cli.createJob("smb moving", "foreground");
            credentialed(job);
            Path out = add(job, Samba.url(relay.port(), "data", "moving.bin"), "moving.bin");
            cli.ok("resume", job);
            cli.awaitInfo(job, "past 2 MiB", STATE_TIMEOUT, info -> bytesTransferred(info) > 2 * MIB);
            cli.ok("suspend", job);
            cli.awaitState(job, "SUSPENDED", STATE_TIMEOUT);

            // Same size, other bytes: only the last-write time tells the new file from the old one.
            TestData.replaceAtomically(source, size, 18);
            Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-r--r--"));
            cli.ok("resume", job);
            cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
            complete(job);
            assertSameBytes(source, out);
            assertTrue(relay.bytesToClients() >= size + 2 * MIB, "the file was read again from byte 0");
        }
    }

    @Test
    void aKilledServiceResumesAnUploadFromWhatTheShareHolds() throws Exception {
        Path local = TestData.randomFile(dest.resolve("up.bin"), 24 * MIB + 5, 19);
        try (ThrottledRelay relay = ThrottledRelay.start(samba.port(), RELAY_RATE)) {
            String job = cli.ok("create", "--type", "upload", "smb upload crash");
            credentialed(job);
            cli.ok("add", job, Samba.url(relay.port(), "data", "up.bin"), local.toString());
            cli.ok("resume", job);
            cli.awaitInfo(job, "past 8 MiB", STATE_TIMEOUT, info -> bytesTransferred(info) > 8 * MIB);

            cli.kill9Service();
            cli.info(job); // starts the service again
            cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
            complete(job);
            assertSameBytes(local, samba.data().resolve("up.bin"));
            try (Stream<Path> files = Files.list(samba.data())) {
                assertEquals(List.of("up.bin"), files.map(p -> p.getFileName().toString()).toList(),
                        "the temporary file was renamed, none is left");
            }
            long size = Files.size(local);
            long relayed = relay.bytesToServer();
            assertTrue(relayed <= size + 6 * MIB, "bytes written to the share in all (" + relayed + ") should be "
                    + "at most the size (" + size + ") + 6 MiB: a restart from zero would write 8 MiB again");
        }
    }

    @Test
    void smbdStoppedMidTransferIsATransientErrorAndTheJobCompletesWhenItIsBack() throws Exception {
        Path source = shared(samba.data(), "outage.bin", 24 * MIB + 7, 16);
        try (ThrottledRelay relay = ThrottledRelay.start(samba.port(), RELAY_RATE)) {
            String job = cli.createJob("smb outage", "foreground");
            credentialed(job);
            // Long enough for the CLI's polls to see TRANSIENT_ERROR on a loaded machine; the retry comes by itself.
            cli.ok("set", job, "--min-retry-delay", "15s");
            Path out = add(job, Samba.url(relay.port(), "data", "outage.bin"), "outage.bin");
            cli.ok("resume", job);
            cli.awaitInfo(job, "past 4 MiB", STATE_TIMEOUT, info -> bytesTransferred(info) > 4 * MIB);

            samba.kill();
            // Noticed within seconds, not at the transport's 60 s request timeout: smbj sees the end of the
            // stream at once but left the read it waited on to that timeout (ConnectionWatch).
            JsonNode down = cli.awaitState(job, "TRANSIENT_ERROR", Duration.ofSeconds(30));
            JsonNode error = down.path("error");
            assertTrue(error.path("transient").asBoolean(), error.toString());
            Set<String> lost = Set.of("BG_E_CONNECTION_CLOSED", "BG_E_CONNECT_FAILURE", "ERROR_WINHTTP_TIMEOUT");
            assertTrue(lost.contains(error.path("symbol").asText()), error.toString());
            assertTrue(bytesTransferred(down) > 4 * MIB, "progress is kept: " + down);

            samba.restart();
            cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
            complete(job);
            assertSameBytes(source, out);
        }
    }

    @Test
    void jobsWithDifferentCredentialsNeverShareAConnectionAndOneJobReusesItsOwn() throws Exception {
        for (int i = 0; i < 3; i++) {
            shared(samba.publicDir(), "p" + i + ".bin", MIB + i, 20 + i);
        }
        String withUser = cli.createJob("as user", "foreground");
        credentialed(withUser);
        String anonymous = cli.createJob("as guest", "foreground");
        for (int i = 0; i < 3; i++) {
            add(withUser, samba.url("public", "p" + i + ".bin"), "u" + i + ".bin");
            add(anonymous, samba.url("public", "p" + i + ".bin"), "g" + i + ".bin");
        }
        cli.ok("resume", withUser);
        cli.ok("resume", anonymous);
        cli.awaitState(withUser, "TRANSFERRED", TRANSFER_TIMEOUT);
        cli.awaitState(anonymous, "TRANSFERRED", TRANSFER_TIMEOUT);

        // smbstatus lists one line per session; sessions on one TCP connection share its client port.
        List<Samba.Connection> sessions = samba.connections();
        Map<Integer, Set<String>> usersByPort = sessions.stream().collect(Collectors.groupingBy(
                Samba.Connection::clientPort, Collectors.mapping(Samba.Connection::user, Collectors.toSet())));
        assertEquals(2, usersByPort.size(), "one connection per credential set, each reused by its three files: "
                + sessions);
        assertEquals(Set.of(Set.of(Samba.USER), Set.of("nobody")), Set.copyOf(usersByPort.values()),
                "no connection carries both logons: " + sessions);
        assertEquals(2, sessions.stream().map(Samba.Connection::pid).distinct().count(),
                "two smbd processes, so nothing is shared on the server either: " + sessions);
        complete(withUser);
        complete(anonymous);
        for (int i = 0; i < 3; i++) {
            assertSameBytes(samba.publicDir().resolve("p" + i + ".bin"), dest.resolve("u" + i + ".bin"));
            assertSameBytes(samba.publicDir().resolve("p" + i + ".bin"), dest.resolve("g" + i + ".bin"));
        }
    }

    @Test
    void theTransportKeepsOwnersApartOnTheirOwnConnections() throws Exception {
        Path source = shared(samba.publicDir(), "shared.bin", 2 * MIB + 1, 30);
        URI uri = URI.create(samba.url("public", "shared.bin"));
        try (SmbTransport smb = SmbTransport.create(SmbTransportConfig.defaults())) {
            for (String owner : List.of("alice", "bob", "alice")) {
                try (RemoteBody body = smb.open(new RemoteRequest(uri, 0, Validator.NONE, owner, "{}"))) {
                    assertEquals(Files.size(source), body.validator().size());
                    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(64 * 1024);
                    assertTrue(body.read(buf) > 0);
                }
            }
            Map<Integer, Set<String>> ports = samba.connections().stream().collect(Collectors.groupingBy(
                    Samba.Connection::clientPort, Collectors.mapping(Samba.Connection::user, Collectors.toSet())));
            assertEquals(2, ports.size(), "alice's second request reuses her connection; bob gets his own: "
                    + samba.connections());
        }
        await("sessions closed with the transport").atMost(java.time.Duration.ofSeconds(20))
                .until(() -> samba.connections().isEmpty());
    }
}
