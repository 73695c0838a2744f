package io.jbits.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.AuthScheme;
import io.jbits.api.AuthTarget;
import io.jbits.api.Credentials;
import io.jbits.api.ProxyUsage;
import io.jbits.api.Redirects;
import io.jbits.api.TlsOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each settings record reads back what it writes, leaves other options where they were, and owns its names. */
class SettingsRecordsTest {

    @Test
    void typedKeysReadTheirTypeOrTheirAbsentValue() {
        JobOptions o = JobOptions.empty().with(RateSettings.MAX, 65536L).with(ProxySettings.USAGE, "none");
        assertEquals(65536L, o.get(RateSettings.MAX));
        assertEquals(0L, o.get(RateSettings.RECEIVE_BUFFER));
        assertEquals(-1L, JobOptions.empty().with("rate.max", "fast").get(RateSettings.MAX), "another type");
        assertTrue(o.has(ProxySettings.USAGE));
        assertEquals(o, JobOptions.of(Map.of("rate.max", 65536, "proxy.usage", "none")).with(ProxySettings.USAGE,
                "none"), "a JobInfo's integers read as the options' longs");
    }

    @Test
    void rateSettingsRoundTripAndTheReceiveBufferIsARequestOptionOnly() {
        JobOptions o = RateSettings.NONE.withMax(Bandwidth.parse("512k")).writeTo(JobOptions.empty());
        assertEquals("{\"rate.max\":524288}", o.toJson());
        assertEquals(Bandwidth.parse("512k"), RateSettings.from(o).max());
        assertEquals("{}", RateSettings.from(o).withMax(Bandwidth.UNLIMITED).writeTo(o).toJson());
        assertEquals("{\"rate.max\":524288,\"rate.receive-buffer\":0}",
                RateSettings.withReceiveBuffer(o, 0).toJson());
    }

    @Test
    void credentialsChangeInPlaceAndNewOnesComeLast() {
        JobOptions o = JobOptions.empty().with("x", 1L);
        o = CredentialSettings.from(o).with(creds(AuthTarget.SERVER, AuthScheme.BASIC, "ann", "one")).writeTo(o);
        o = CredentialSettings.from(o).with(creds(AuthTarget.PROXY, AuthScheme.NTLM, "pat", "two")).writeTo(o);
        o = CredentialSettings.from(o).with(creds(AuthTarget.SERVER, AuthScheme.BASIC, "bob", "three")).writeTo(o);
        assertEquals("{\"x\":1,\"cred.server.basic.user\":\"bob\",\"cred.server.basic.secret\":\"three\","
                + "\"cred.proxy.ntlm.user\":\"pat\",\"cred.proxy.ntlm.secret\":\"two\"}", o.toJson());
        CredentialSettings read = CredentialSettings.from(o);
        assertEquals(Secret.of("two"), read.find(AuthTarget.PROXY, AuthScheme.NTLM).orElseThrow().secret());
        assertEquals(List.of("bob"), read.all(AuthTarget.SERVER, AuthScheme.NTLM, AuthScheme.BASIC).stream()
                .map(CredentialSettings.Login::user).toList());
        o = read.without(AuthTarget.SERVER, AuthScheme.BASIC).writeTo(o);
        assertEquals("{\"x\":1,\"cred.proxy.ntlm.user\":\"pat\",\"cred.proxy.ntlm.secret\":\"two\"}", o.toJson());
    }

    @Test
    void secretsAreTheCredentialSecretOptionsAndAreMaskedOrLeftOut() {
        assertTrue(CredentialSettings.isSecret("cred.server.basic.secret"));
        assertTrue(CredentialSettings.isSecret("cred.server.future-scheme.secret"));
        assertFalse(CredentialSettings.isSecret("cred.server.basic.user"));
        String json = "{\"cred.server.basic.user\":\"ann\",\"cred.server.basic.secret\":\"pw\"}";
        assertEquals("{\"cred.server.basic.user\":\"ann\",\"cred.server.basic.secret\":\"***\"}",
                CredentialSettings.redact(json));
        assertEquals(Map.of("cred.server.basic.user", "ann"),
                CredentialSettings.withoutSecrets(JobOptions.parse(json).asMap()));
    }

    @Test
    void httpProxyAndTlsSettingsReadBackWhatTheirChangesWrite() {
        JobOptions o = HttpSettings.proxy(ProxyUsage.OVERRIDE, List.of("p:3128", "https=q:1"), List.of("<local>"))
                .andThen(HttpSettings.headers(List.of("X-A: 1")))
                .andThen(HttpSettings.redirects(Redirects.DENY, true))
                .andThen(HttpSettings.tls(new TlsOptions("/ca.pem", null, null, List.of("name", "expired"))))
                .apply(JobOptions.empty());
        assertEquals(new ProxySettings(ProxyUsage.OVERRIDE, List.of("p:3128", "https=q:1"), List.of("<local>")),
                ProxySettings.from(o));
        assertEquals(new HttpSettings(List.of("X-A: 1"), Redirects.DENY, true), HttpSettings.from(o));
        TlsSettings tls = TlsSettings.from(o);
        assertEquals(List.of(TlsSettings.CertError.NAME, TlsSettings.CertError.EXPIRED), tls.ignore());
        assertEquals("name,expired", o.get(TlsSettings.IGNORE), "in the order given");
        assertEquals(o, tls.writeTo(ProxySettings.from(o).writeTo(HttpSettings.from(o).writeTo(o))));
        assertEquals(ProxySettings.PRECONFIG, ProxySettings.from(JobOptions.empty()));
        assertEquals(HttpSettings.DEFAULT, HttpSettings.from(JobOptions.empty()));
        assertTrue(TlsSettings.from(JobOptions.empty()).isDefault());
    }

    @Test
    void storedValuesThatCannotBeReadAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProxySettings.from(
                JobOptions.empty().with(ProxySettings.USAGE, "autodetect"))).getMessage().contains("autodetect"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HttpSettings.from(
                JobOptions.empty().with(HttpSettings.REDIRECTS, "sometimes"))).getMessage().contains("sometimes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TlsSettings.from(
                JobOptions.empty().with(TlsSettings.IGNORE, "everything"))).getMessage().contains("everything"));
    }

    @Test
    void eachOptionNameHasOneOwner() {
        assertTrue(ProxySettings.owns("proxy.list") && HttpSettings.owns("http.headers")
                && TlsSettings.owns("tls.ignore"));
        assertFalse(ProxySettings.owns("http.headers") || HttpSettings.owns("tls.ignore")
                || TlsSettings.owns("rate.max"));
    }

    @Test
    void clearingTheNotifyCommandForgetsItsPastSuccessToo() {
        JobOptions o = NotifyCommand.parse("/bin/true", null).writeTo(JobOptions.empty().with("x", 1L));
        o = NotifyCommand.withDone(o, "transferred@1");
        assertEquals("transferred@1", NotifyCommand.done(o));
        assertEquals("{\"x\":1}", NotifyCommand.clear(o).toJson());
    }

    private static Credentials creds(AuthTarget t, AuthScheme s, String user, String secret) {
        return new Credentials(t, s, user, secret.toCharArray());
    }
}
