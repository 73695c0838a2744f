package io.jbits.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.BitsCodes;
import io.jbits.spi.JobOptions;
import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.Validator;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Server credentials: Basic, Digest, the NTLM handshake, where they go, and what a refusal says. */
class HttpTransportAuthTest {
    private static final byte[] ENTITY = Bodies.random(50_000, 21);

    private final HttpTransport transport = HttpTransport.create(HttpTransportConfig.defaults());
    private TestServer server;
    private TestServer other;

    @AfterEach
    void stop() throws Exception {
        transport.close();
        for (TestServer s : new TestServer[] {server, other}) {
            if (s != null) {
                s.close();
            }
        }
    }

    static String credentials(String scheme, String user, String secret) {
        return JobOptions.empty().with("cred.server." + scheme + ".user", user)
                .with("cred.server." + scheme + ".secret", secret).toJson();
    }

    private byte[] fetch(URI uri, String owner, String options) throws Exception {
        RemoteBody body = transport.open(new RemoteRequest(uri, 0, Validator.NONE, owner, options));
        return Bodies.readAll(body);
    }

    @Test
    void basicCredentialsFetchTheEntity() throws Exception {
        server = TestServer.http(Challenges.basic("alice", "s3cret", RangeEntity.of(ENTITY, "\"e\"", null)));
        byte[] got = fetch(server.uri("/f"), "alice", credentials("basic", "alice", "s3cret"));
        assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(got));
    }

    @Test
    void digestCredentialsFetchTheEntityWithoutSendingThePassword() throws Exception {
        server = TestServer.http(Challenges.digest("alice", "s3cret", RangeEntity.of(ENTITY, "\"e\"", null)));
        byte[] got = fetch(server.uri("/f"), "alice", credentials("digest", "alice", "s3cret"));
        assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(got));
        for (TestServer.Seen s : server.seen()) {
            assertFalse(s.authorization() != null && s.authorization().contains("s3cret"), s.authorization());
        }
    }

    @Test
    void ntlmHandshakeRunsOnOneConnectionAndNamesTheDomainUser() throws Exception {
        server = TestServer.http(Challenges.ntlm("CORP", "alice", RangeEntity.of(ENTITY, "\"e\"", null)));
        byte[] got = fetch(server.uri("/f"), "alice", credentials("ntlm", "CORP\\alice", "s3cret"));
        assertEquals(Bodies.sha256(ENTITY), Bodies.sha256(got));
        List<TestServer.Seen> seen = server.seen();
        assertEquals(3, seen.size(), "plain request, negotiate, authenticate");
        assertTrue(seen.get(1).authorization().startsWith("NTLM "));
        assertEquals(seen.get(1).connectionId(), seen.get(2).connectionId(), "NTLM authenticates a connection");
    }

    @Test
    void aServerAskingForCredentialsTheJobLacksIsAFatal401ThatSaysSo() throws Exception {
        server = TestServer.http(Challenges.basic("alice", "s3cret", RangeEntity.of(ENTITY, "\"e\"", null)));
        TransferFailure f = assertThrows(TransferFailure.class, () -> fetch(server.uri("/f"), "alice", "{}"));
        assertEquals(BitsCodes.forHttpStatus(401), f.error().code());
        assertFalse(f.error().transientError());
        assertTrue(f.getMessage().contains("asks for Basic") && f.getMessage().contains("no server credentials"),
                f.getMessage());
    }

    @Test
    void aWrongPasswordIsAFatal401ThatSaysTheCredentialsWereRefused() throws Exception {
        server = TestServer.http(Challenges.basic("alice", "s3cret", RangeEntity.of(ENTITY, "\"e\"", null)));
        TransferFailure f = assertThrows(TransferFailure.class,
                () -> fetch(server.uri("/f"), "alice", credentials("basic", "alice", "wrong")));
        assertEquals(BitsCodes.forHttpStatus(401), f.error().code());
        assertTrue(f.getMessage().contains("refused the job's basic credentials"), f.getMessage());
        assertFalse(f.getMessage().contains("wrong"), "the message never shows the secret");
    }

    @Test
    void credentialsForOtherSchemesOnlyAreNamedInTheError() throws Exception {
        server = TestServer.http(Challenges.ntlm("CORP", "alice", RangeEntity.of(ENTITY, "\"e\"", null)));
        TransferFailure f = assertThrows(TransferFailure.class,
                () -> fetch(server.uri("/f"), "alice", credentials("basic", "alice", "s3cret")));
        assertTrue(f.getMessage().contains("asks for NTLM") && f.getMessage().contains("only for basic"),
                f.getMessage());
    }

    @Test
    void aNegotiateLoginThatFailsIsNamedInTheError() throws Exception {
        server = TestServer.http((request, response) -> {
            response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.WWW_AUTHENTICATE, "Negotiate");
            TestServer.send(response, 401, new byte[0]);
        });
        TransferFailure f = assertThrows(TransferFailure.class, () -> fetch(server.uri("/f"), "alice",
                credentials("negotiate", "alice@NO-SUCH-REALM.INVALID", "s3cret")));
        assertEquals(BitsCodes.forHttpStatus(401), f.error().code());
        assertTrue(f.getMessage().contains("asks for Negotiate")
                && f.getMessage().contains("Kerberos login of alice@NO-SUCH-REALM.INVALID failed"), f.getMessage());
        assertFalse(f.getMessage().contains("s3cret"));
    }

    @Test
    void aRedirectToAnotherHostDoesNotCarryTheCredentials() throws Exception {
        other = TestServer.http(Challenges.basic("alice", "s3cret", RangeEntity.of(ENTITY, "\"e\"", null)));
        URI elsewhere = other.uri("localhost", "/moved");
        server = TestServer.http(Challenges.basic("alice", "s3cret", HttpTransportErrorTest.redirectTo(elsewhere)));
        TransferFailure f = assertThrows(TransferFailure.class,
                () -> fetch(server.uri("/f"), "alice", credentials("basic", "alice", "s3cret")));
        assertEquals(BitsCodes.forHttpStatus(401), f.error().code());
        assertTrue(f.getMessage().contains("credentials go only to the job's own host"), f.getMessage());
        assertTrue(server.seen().stream().anyMatch(s -> s.authorization() != null), "the job's host got them");
        assertFalse(other.seen().isEmpty());
        for (TestServer.Seen s : other.seen()) {
            assertNull(s.authorization(), "the other host never sees the credentials");
        }
    }

    @Test
    void twoJobsWithDifferentCredentialsNeverShareAConnectionButEachReusesItsOwn() throws Exception {
        server = TestServer.http((request, response) -> {
            String auth = request.getHeaders().get(org.eclipse.jetty.http.HttpHeader.AUTHORIZATION);
            boolean known = auth != null && (auth.equals(basic("alice", "one")) || auth.equals(basic("bob", "two")));
            if (known) {
                TestServer.send(response, 200, ENTITY);
            } else {
                response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"r\"");
                TestServer.send(response, 401, new byte[0]);
            }
        });
        String one = credentials("basic", "alice", "one");
        String two = credentials("basic", "bob", "two");
        for (int i = 0; i < 4; i++) {
            assertEquals(ENTITY.length, fetch(server.uri("/one/" + i), "owner", one).length);
            assertEquals(ENTITY.length, fetch(server.uri("/two/" + i), "owner", two).length);
        }
        Map<Integer, Set<String>> credentialsByPort = new HashMap<>();
        Set<Integer> portsOfOne = new HashSet<>();
        Set<Integer> portsOfTwo = new HashSet<>();
        for (TestServer.Seen s : server.seen()) {
            (s.path().startsWith("/one/") ? portsOfOne : portsOfTwo).add(s.clientPort());
            if (s.authorization() != null) {
                credentialsByPort.computeIfAbsent(s.clientPort(), p -> new HashSet<>()).add(s.authorization());
            }
        }
        assertEquals(1, portsOfOne.size(), "job one reuses its connection: " + portsOfOne);
        assertEquals(1, portsOfTwo.size(), "job two reuses its connection: " + portsOfTwo);
        assertNotEquals(portsOfOne, portsOfTwo);
        credentialsByPort.forEach((port, creds) -> assertEquals(1, creds.size(), "port " + port + " saw " + creds));
    }

    private static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
    }
}
