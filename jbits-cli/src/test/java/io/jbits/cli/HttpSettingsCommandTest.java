package io.jbits.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jbits set} and {@code jbits transfer} with proxy, header, redirect and TLS options. */
class HttpSettingsCommandTest {
    @TempDir
    Path cwd;
    private final FakeServices services = new FakeServices();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        Cli cli = new Cli(services, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), cwd, false, false);
        return Main.run(args, cli);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void proxyListWithBypassIsAnOverride() {
        assertEquals(0, run("set", "0123", "--proxy", "http://p1:3128,https=p2:8080", "--proxy-bypass",
                "<local>,*.corp.test"));
        assertEquals(List.of("proxy 0123 override [http://p1:3128, https=p2:8080] [<local>, *.corp.test]"),
                services.calls);
    }

    @Test
    void proxyNoneAndPreconfigTakeNoLists() {
        assertEquals(0, run("set", "0123", "--proxy", "none"));
        assertEquals(List.of("proxy 0123 none [] []"), services.calls);
        assertEquals(2, run("set", "0123", "--proxy", "preconfig", "--proxy-bypass", "x"));
        assertTrue(err().contains("--proxy-bypass"), err());
    }

    @Test
    void headersAreRepeatableAndClearable() {
        assertEquals(0, run("set", "0123", "--header", "X-A: 1", "--header", "X-B: 2"));
        assertEquals(0, run("set", "0123", "--clear-headers"));
        assertEquals(List.of("headers 0123 [X-A: 1, X-B: 2]", "headers 0123 []"), services.calls);
    }

    @Test
    void redirectPolicyAndDowngrade() {
        assertEquals(0, run("set", "0123", "--redirects", "report", "--allow-https-to-http"));
        assertEquals(List.of("redirects 0123 report true"), services.calls);
        assertEquals(2, run("set", "0123", "--redirects", "sometimes"));
        assertTrue(err().contains("sometimes") && err().contains("allow, report or deny"), err());
    }

    @Test
    void tlsPathsAreMadeAbsoluteAndErrorsListed() {
        assertEquals(0, run("set", "0123", "--ca-file", "ca.pem", "--ignore-cert-errors", "expired,name"));
        String call = services.calls.getLast();
        assertTrue(call.startsWith("tls 0123 TlsOptions[caFile=" + cwd.resolve("ca.pem")), call);
        assertTrue(call.contains("ignoreCertErrors=[expired, name]"), call);
    }

    @Test
    void transferAppliesTheOptionsBeforeResuming() throws Exception {
        java.nio.file.Files.writeString(cwd.resolve("f"), "what the service would have moved in place");
        assertEquals(0, run("transfer", "--proxy", "none", "--header", "X-A: 1", "https://h/f", "f"));
        int proxy = services.calls.indexOf("proxy 0123abcd-0000-4000-8000-000000000000 none [] []");
        int resume = services.calls.indexOf("resume 0123abcd-0000-4000-8000-000000000000");
        assertTrue(proxy >= 0 && resume > proxy, services.calls.toString());
    }
}
