package io.jbits.core;

import io.jbits.spi.RemoteRequest;
import io.jbits.spi.CredentialSettings;
import io.jbits.spi.JobOptions;
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
import io.jbits.api.JobState;
import io.jbits.api.NewJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SetCredentials and RemoveCredentials: stored in the job's options, handed to transports, never shown. */
class EngineCredentialsTest {
    @TempDir
    Path dir;
    final MemoryStore store = new MemoryStore();
    final ScriptedTransport transport = new ScriptedTransport();
    Engine engine;

    Engine start() throws Exception {
        engine = Engine.start(EngineConfig.builder(store, "alice").transports(List.of(transport))
                .filesInParallel(4).checkpointInterval(Duration.ofMillis(50)).build());
        return engine;
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    static Credentials creds(AuthTarget t, AuthScheme s, String user, String secret) {
        return new Credentials(t, s, user, secret.toCharArray());
    }

    @Test
    void infoShowsTargetSchemeAndUserButNeverTheSecret() throws Exception {
        start();
        String id = engine.create(NewJob.download("j")).id();
        JobInfo j = engine.setCredentials(id, creds(AuthTarget.SERVER, AuthScheme.NTLM, "CORP\\ann", "s3cret!"));
        assertEquals(Map.of("cred.server.ntlm.user", "CORP\\ann"), j.options());
        assertFalse(j.toString().contains("s3cret!"), j.toString());
        assertEquals("s3cret!", engine.options(id).string("cred.server.ntlm.secret"));
    }

    @Test
    void settingAgainReplacesAndRemovingDeletesOnlyThatScheme() throws Exception {
        start();
        String id = engine.create(NewJob.download("j")).id();
        engine.setCredentials(id, creds(AuthTarget.SERVER, AuthScheme.BASIC, "ann", "one"));
        engine.setCredentials(id, creds(AuthTarget.PROXY, AuthScheme.BASIC, "pat", "proxy"));
        engine.setCredentials(id, creds(AuthTarget.SERVER, AuthScheme.BASIC, "bob", "two"));
        JobOptions o = engine.options(id);
        CredentialSettings creds = CredentialSettings.from(o);
        assertEquals("bob", creds.find(AuthTarget.SERVER, AuthScheme.BASIC).orElseThrow().user());
        assertEquals("two", new String(
                creds.find(AuthTarget.SERVER, AuthScheme.BASIC).orElseThrow().secret().reveal()));

        JobInfo j = engine.removeCredentials(id, AuthTarget.SERVER, AuthScheme.BASIC);
        assertEquals(Map.of("cred.proxy.basic.user", "pat"), j.options());
        assertTrue(CredentialSettings.from(engine.options(id)).find(AuthTarget.SERVER, AuthScheme.BASIC).isEmpty());
        engine.removeCredentials(id, AuthTarget.SERVER, AuthScheme.DIGEST);
    }

    @Test
    void credentialsSurviveARestartAndReachTheTransport() throws Exception {
        start();
        String id = engine.create(NewJob.download("j")).id();
        engine.setCredentials(id, creds(AuthTarget.SERVER, AuthScheme.DIGEST, "ann", "pw"));
        engine.addFile(id, "mem://h/a", dir.resolve("a").toString());
        engine.close();
        start();
        transport.put("mem://h/a", new byte[] {1, 2, 3}, "\"a\"");
        engine.resume(id);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> engine.job(id).state() == JobState.TRANSFERRED);
        RemoteRequest r = transport.requests.getFirst();
        JobOptions o = JobOptions.parse(r.options());
        assertEquals("pw", o.string("cred.server.digest.secret"));
        assertFalse(r.toString().contains("\"pw\""), r.toString());
        assertFalse(store.loadAll().getFirst().job().toString().contains("\"pw\""));
    }

    @Test
    void refusesWhatBitsRefuses() throws Exception {
        start();
        String id = engine.create(NewJob.download("j")).id();
        assertEquals(BitsCodes.E_INVALIDARG, assertThrows(JbitsException.class, () ->
                engine.setCredentials(id, creds(AuthTarget.SERVER, AuthScheme.BASIC, " ", "x"))).code());
        assertEquals(BitsCodes.BG_E_USERNAME_TOO_LARGE, assertThrows(JbitsException.class, () ->
                engine.setCredentials(id, creds(AuthTarget.SERVER, AuthScheme.BASIC, "u".repeat(301), "x"))).code());
        assertEquals(BitsCodes.BG_E_PASSWORD_TOO_LARGE, assertThrows(JbitsException.class, () ->
                engine.setCredentials(id, new Credentials(AuthTarget.SERVER, AuthScheme.BASIC, "u",
                        new char[65_536]))).code());
        assertEquals(BitsCodes.BG_E_INVALID_AUTH_TARGET,
                assertThrows(JbitsException.class, () -> AuthTarget.parse("client")).code());
        assertEquals(BitsCodes.BG_E_INVALID_AUTH_SCHEME,
                assertThrows(JbitsException.class, () -> AuthScheme.parse("passport")).code());
        assertEquals(Map.of(), engine.job(id).options());
        engine.cancel(id);
        assertEquals(BitsCodes.BG_E_INVALID_STATE, assertThrows(JbitsException.class, () ->
                engine.setCredentials(id, creds(AuthTarget.SERVER, AuthScheme.BASIC, "u", "x"))).code());
    }

    @Test
    void credentialsPrintWithoutTheirSecret() {
        Credentials c = creds(AuthTarget.PROXY, AuthScheme.BASIC, "pat", "hunter2");
        assertEquals("Credentials[proxy basic pat]", c.toString());
        c.wipe();
        assertEquals(0, new String(c.secret()).replace("\0", "").length());
    }
}
