package io.jbits.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.AuthScheme;
import io.jbits.api.AuthTarget;
import io.jbits.api.BitsCodes;
import io.jbits.api.Credentials;
import io.jbits.api.JbitsException;
import io.jbits.api.JobInfo;
import io.jbits.api.NewJob;
import io.jbits.client.ServiceClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.io.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The credential routes: the secret travels in the body only, and no answer carries it back. */
class ApiCredentialsTest {
    private static final String ME = System.getProperty("user.name");

    @TempDir
    Path home;
    private final MemoryJobs jobs = new MemoryJobs(ME);
    private ApiServer server;
    private ServiceClient client;
    private HttpClient raw;

    @BeforeEach
    void start() throws Exception {
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        server = ApiServer.start(new ApiConfig(jobs, home.resolve("jbits.sock"), ME, home, () -> { }));
        client = ServiceClient.connect(server.socket());
        raw = new HttpClient();
        raw.start();
    }

    @AfterEach
    void stop() throws Exception {
        raw.stop();
        client.close();
        server.close();
    }

    private ContentResponse send(String method, String path, String body) throws Exception {
        var request = raw.newRequest("http://localhost" + path).method(method)
                .transport(new Transport.TCPUnix(server.socket())).timeout(10, TimeUnit.SECONDS);
        if (body != null) {
            request.body(new StringRequestContent("application/json", body));
        }
        return request.send();
    }

    @Test
    void clientSetsAndRemovesCredentialsAndNoAnswerCarriesTheSecret() {
        String id = client.create(NewJob.download("j")).id();
        JobInfo j = client.setCredentials(id, new Credentials(AuthTarget.PROXY, AuthScheme.BASIC, "pat",
                "pr0xy-pw".toCharArray()));
        assertEquals(Map.of("cred.proxy.basic.user", "pat"), j.options());
        assertEquals("pr0xy-pw", jobs.secrets.get(id + " proxy basic"));

        j = client.removeCredentials(id.substring(0, 8), AuthTarget.PROXY, AuthScheme.BASIC);
        assertEquals(Map.of(), j.options());
        assertTrue(jobs.secrets.isEmpty());
    }

    @Test
    void rawRequestsAnswerWithoutTheSecretAndRefuseBadTargetsAndSchemes() throws Exception {
        String id = client.create(NewJob.download("j")).id();
        ContentResponse r = send("PUT", "/v1/jobs/" + id + "/credentials",
                "{\"target\":\"server\",\"scheme\":\"ntlm\",\"user\":\"CORP\\\\ann\",\"secret\":\"n0t-shown\"}");
        assertEquals(200, r.getStatus(), r.getContentAsString());
        assertTrue(r.getContentAsString().contains("\"cred.server.ntlm.user\":\"CORP\\\\ann\""),
                r.getContentAsString());
        assertFalse(r.getContentAsString().contains("n0t-shown"));
        assertFalse(send("GET", "/v1/jobs/" + id, null).getContentAsString().contains("n0t-shown"));

        r = send("PUT", "/v1/jobs/" + id + "/credentials",
                "{\"target\":\"client\",\"scheme\":\"ntlm\",\"user\":\"u\",\"secret\":\"x\"}");
        assertEquals(400, r.getStatus());
        assertTrue(r.getContentAsString().contains("BG_E_INVALID_AUTH_TARGET"), r.getContentAsString());
        r = send("DELETE", "/v1/jobs/" + id + "/credentials/server/passport", null);
        assertEquals(400, r.getStatus());
        assertTrue(r.getContentAsString().contains("BG_E_INVALID_AUTH_SCHEME"), r.getContentAsString());
        r = send("PUT", "/v1/jobs/" + id + "/credentials",
                "{\"target\":\"server\",\"scheme\":\"basic\",\"user\":\"u\"}");
        assertEquals(400, r.getStatus());
        assertTrue(r.getContentAsString().contains("missing field 'secret'"), r.getContentAsString());
    }

    @Test
    void limitsComeBackWithTheirBitsCodes() {
        String id = client.create(NewJob.download("j")).id();
        JbitsException e = assertThrows(JbitsException.class, () -> client.setCredentials(id,
                new Credentials(AuthTarget.SERVER, AuthScheme.BASIC, "u".repeat(301), new char[1])));
        assertEquals(BitsCodes.BG_E_USERNAME_TOO_LARGE, e.code());
    }
}
