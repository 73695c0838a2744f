package io.jbits.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.spi.JobOptions;
import io.jbits.spi.ProxySettings;
import java.util.Map;
import org.apache.hc.core5.http.HttpHost;
import org.junit.jupiter.api.Test;

/** Which proxy a job's request takes under each usage mode, and which hosts bypass it. */
class ProxyRoutesTest {

    /** The routes of a job whose proxy options hold these texts (null for an option not set). */
    private static ProxyRoutes routes(String usage, String list, String bypass, Map<String, String> env)
            throws ProxyRoutes.InvalidProxyException {
        return ProxyRoutes.of(JobOptions.empty().with(ProxySettings.USAGE, usage).with(ProxySettings.LIST, list)
                .with(ProxySettings.BYPASS, bypass), env);
    }

    private static HttpHost proxy(String host, int port) {
        return new HttpHost("http", host, port);
    }

    @Test
    void preconfigReadsTheEnvironmentPerSchemeWithLowerCaseFirst() throws Exception {
        ProxyRoutes p = routes(null, null, null, Map.of("http_proxy", "http://lower:3128",
                "HTTP_PROXY", "http://upper:3128", "HTTPS_PROXY", "secure:8443"));
        assertEquals(proxy("lower", 3128), p.proxyFor("http", "example.org"));
        assertEquals(proxy("secure", 8443), p.proxyFor("https", "example.org"));
    }

    @Test
    void preconfigWithoutVariablesGoesDirect() throws Exception {
        assertNull(routes("preconfig", null, null, Map.of()).proxyFor("http", "example.org"));
    }

    @Test
    void noProxyCoversHostsTheirSubdomainsAndEverythingWithAStar() throws Exception {
        Map<String, String> env = Map.of("http_proxy", "p:1", "no_proxy", "example.org, .internal,10.0.0.1");
        ProxyRoutes p = routes("preconfig", null, null, env);
        assertNull(p.proxyFor("http", "example.org"));
        assertNull(p.proxyFor("http", "www.example.org"));
        assertNull(p.proxyFor("http", "db.internal"));
        assertNull(p.proxyFor("http", "10.0.0.1"));
        assertEquals(proxy("p", 1), p.proxyFor("http", "notexample.org"));
        ProxyRoutes all = routes("preconfig", null, null, Map.of("http_proxy", "p:1", "NO_PROXY", "*"));
        assertNull(all.proxyFor("http", "anything.test"));
    }

    @Test
    void noneIgnoresTheEnvironment() throws Exception {
        assertNull(routes("none", "p:1", null, Map.of("http_proxy", "p:1")).proxyFor("http", "x.org"));
    }

    @Test
    void overrideTakesTheEntryForTheSchemeElseTheDefaultEntry() throws Exception {
        ProxyRoutes p = routes("override", "http://plain:8080, https=secure:3128", null, Map.of());
        assertEquals(proxy("plain", 8080), p.proxyFor("http", "example.org"));
        assertEquals(proxy("secure", 3128), p.proxyFor("https", "example.org"));
        assertEquals(proxy("dflt", 80), routes("override", "dflt", null, Map.of())
                .proxyFor("https", "example.org"));
    }

    @Test
    void everyProxyForTheSchemeIsACandidateInOrder() throws Exception {
        ProxyRoutes p = routes("override", "a:1,https=b:2,c:3,https=d:4", null, Map.of());
        assertEquals(java.util.List.of(proxy("a", 1), proxy("c", 3)), p.proxiesFor("http", "x.org"));
        assertEquals(java.util.List.of(proxy("b", 2), proxy("d", 4)), p.proxiesFor("https", "x.org"));
    }

    @Test
    void overrideBypassHonoursNamesWildcardsAndLocal() throws Exception {
        ProxyRoutes p = routes("override", "p:1", "<local>,*.corp.test,127.0.0.1", Map.of());
        assertNull(p.proxyFor("http", "intranet"));
        assertNull(p.proxyFor("http", "files.corp.test"));
        assertNull(p.proxyFor("http", "127.0.0.1"));
        assertEquals(proxy("p", 1), p.proxyFor("http", "corp.test"));
        assertEquals(proxy("p", 1), p.proxyFor("http", "example.org"));
    }

    @Test
    void proxyCredentialsGoOnlyToTheJobsProxies() throws Exception {
        ProxyRoutes p = routes("override", "p:3128", null, Map.of());
        assertTrue(p.isProxy("P", 3128));
        assertTrue(!p.isProxy("p", 3129) && !p.isProxy("example.org", 3128));
    }

    @Test
    void badSettingsAreRefusedWithTheReason() {
        assertTrue(assertThrows(ProxyRoutes.InvalidProxyException.class,
                () -> routes("override", " ", null, Map.of())).getMessage().contains("proxy list"));
        assertTrue(assertThrows(ProxyRoutes.InvalidProxyException.class,
                () -> routes("autodetect", null, null, Map.of())).getMessage().contains("autodetect"));
        assertTrue(assertThrows(ProxyRoutes.InvalidProxyException.class,
                () -> routes("override", "ftp=p:1", null, Map.of())).getMessage().contains("ftp=p:1"));
        assertTrue(assertThrows(ProxyRoutes.InvalidProxyException.class,
                () -> routes("override", "socks5://p:1", null, Map.of())).getMessage()
                .contains("only http://"));
    }
}
