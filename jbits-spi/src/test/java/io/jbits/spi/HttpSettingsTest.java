package io.jbits.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.JbitsException;
import io.jbits.api.ProxyUsage;
import io.jbits.api.Redirects;
import io.jbits.api.TlsOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a job's HTTP settings become as options, and the input refused with a clear message. */
class HttpSettingsTest {

    private static String refusal(Runnable r) {
        return assertThrows(JbitsException.class, r::run).getMessage();
    }

    @Test
    void overrideWritesBothListsAndNoneRemovesThem() {
        JobOptions o = HttpSettings.proxy(ProxyUsage.OVERRIDE, List.of("http://p:3128", "https=q"),
                List.of("<local>", "*.corp.test")).apply(JobOptions.empty());
        assertEquals("override", o.string("proxy.usage"));
        assertEquals("http://p:3128,https=q", o.string("proxy.list"));
        assertEquals("<local>,*.corp.test", o.string("proxy.bypass"));
        JobOptions none = HttpSettings.proxy(ProxyUsage.NONE, List.of(), List.of()).apply(o);
        assertEquals("none", none.string("proxy.usage"));
        assertFalse(none.has("proxy.list") || none.has("proxy.bypass"));
    }

    @Test
    void proxyInputIsCheckedWhenSet() {
        assertTrue(refusal(() -> HttpSettings.proxy(ProxyUsage.OVERRIDE, List.of(), List.of())).contains("at least"));
        assertTrue(refusal(() -> HttpSettings.proxy(ProxyUsage.NONE, List.of("p"), List.of())).contains("override"));
        assertTrue(refusal(() -> HttpSettings.proxy(ProxyUsage.OVERRIDE, List.of("p q"), List.of())).contains("'p q'"));
    }

    @Test
    void headersAreJoinedByCrlfAndManagedOnesRefused() {
        assertEquals("X-A: 1\r\nX-B: 2", HttpSettings.headers(List.of("X-A: 1", "X-B: 2")).apply(JobOptions.empty())
                .string("http.headers"));
        assertFalse(HttpSettings.headers(List.of()).apply(JobOptions.empty().with("http.headers", "X: y"))
                .has("http.headers"));
        assertTrue(refusal(() -> HttpSettings.headers(List.of("Range: bytes=0-"))).contains("Range"));
        assertTrue(refusal(() -> HttpSettings.headers(List.of("no colon"))).contains("Name: value"));
        assertTrue(refusal(() -> HttpSettings.headers(List.of("X: a\r\nEvil: b"))).contains("line break"));
    }

    @Test
    void allowIsTheDefaultAndLeavesNoOption() {
        assertFalse(HttpSettings.redirects(Redirects.ALLOW, false).apply(JobOptions.empty()).has("http.redirects"));
        JobOptions o = HttpSettings.redirects(Redirects.REPORT, true).apply(JobOptions.empty());
        assertEquals("report", o.string("http.redirects"));
        assertTrue(o.flag("http.redirects.https-to-http", false));
    }

    @Test
    void tlsNeedsAbsolutePathsBothHalvesOfACertificateAndKnownErrors() {
        JobOptions o = HttpSettings.tls(new TlsOptions("/ca.pem", "/c.pem", "/c.key", List.of("expired")))
                .apply(JobOptions.empty());
        assertEquals("/ca.pem", o.string("tls.ca-file"));
        assertEquals("expired", o.string("tls.ignore"));
        assertTrue(refusal(() -> HttpSettings.tls(new TlsOptions("ca.pem", null, null, List.of())))
                .contains("absolute"));
        assertTrue(refusal(() -> HttpSettings.tls(new TlsOptions(null, "/c.pem", null, List.of()))).contains("key"));
        assertTrue(refusal(() -> HttpSettings.tls(new TlsOptions(null, null, null, List.of("all")))).contains("'all'"));
    }
}
