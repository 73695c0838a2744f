package io.jbits.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jobs through a real squid, set up with {@code jbits set --proxy} and {@code jbits transfer --proxy}. */
class ProxyTest extends EndToEnd {

    @Test
    void aJobDownloadsThroughTheProxyAndABypassedHostIsReachedDirectly() throws Exception {
        Path one = TestData.randomFile(data.resolve("one.bin"), 2 * MIB + 11, 51);
        Path two = TestData.randomFile(data.resolve("two.bin"), MIB + 3, 52);
        startNginx("20m");
        Squid squid = closeLater(Squid.start(null, null));

        String job = cli.createJob("proxied", "foreground");
        cli.ok("set", job, "--proxy", squid.url());
        Path oneOut = add(job, nginx.url("/one.bin"), "one.bin");
        cli.ok("resume", job);
        cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
        complete(job);
        assertSameBytes(one, oneOut);
        assertTrue(squid.awaitLogged(r -> r.url().equals(nginx.url("/one.bin")) && r.status() == 200),
                "squid's log shows the download: " + squid.log());

        Path twoOut = dest.resolve("two.bin");
        cli.ok("transfer", "--proxy", squid.url(), "--proxy-bypass", "localhost,127.0.0.1", nginx.url("/two.bin"),
                twoOut.toString());
        assertSameBytes(two, twoOut);
        assertTrue(squid.log().stream().noneMatch(r -> r.url().contains("/two.bin")),
                "the bypassed host never went through squid: " + squid.log());
        assertEquals(1, nginx.requests("/two.bin").size(), "nginx served the bypassed download directly");
    }

    @Test
    void preconfigJobsUseTheServicesEnvironmentAndItsNoProxyList() throws Exception {
        Path one = TestData.randomFile(data.resolve("env.bin"), MIB + 9, 55);
        startNginx("20m");
        Squid squid = closeLater(Squid.start(null, null));
        cli.environment("http_proxy", squid.url()).environment("no_proxy", "localhost");

        String job = cli.createJob("preconfig", "foreground");
        Path viaProxy = add(job, nginx.url("/env.bin"), "via-proxy.bin");
        Path direct = add(job, "http://localhost:" + nginx.port() + "/env.bin?direct", "direct.bin");
        cli.ok("resume", job);
        cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
        complete(job);
        assertSameBytes(one, viaProxy);
        assertSameBytes(one, direct);
        assertTrue(squid.awaitLogged(r -> r.url().equals(nginx.url("/env.bin"))), "http_proxy used: " + squid.log());
        assertTrue(squid.log().stream().noneMatch(r -> r.url().contains("direct")), "no_proxy honoured: "
                + squid.log());
    }

    @Test
    void proxyCredentialsSetWithTheCliAuthenticateAndAWrongPasswordIsAFatal407() throws Exception {
        Path file = TestData.randomFile(data.resolve("auth.bin"), 3 * MIB + 7, 54);
        startNginx("20m");
        Squid squid = closeLater(Squid.start("pat", "pr0xy-pass"));
        Path good = java.nio.file.Files.writeString(dest.resolve("good.pw"), "pr0xy-pass\n");
        Path bad = java.nio.file.Files.writeString(dest.resolve("bad.pw"), "not-it\n");

        String job = cli.createJob("proxy auth", "foreground");
        cli.ok("set", job, "--proxy", squid.url(), "--credentials", "proxy", "basic", "pat", "--password-file",
                bad.toString());
        Path out = add(job, nginx.url("/auth.bin"), "auth.bin");
        cli.ok("resume", job);
        JsonNode failed = cli.awaitState(job, "ERROR", STATE_TIMEOUT);
        JsonNode error = failed.path("error");
        assertTrue("0x80190197".equalsIgnoreCase(error.path("code").asText()), "BITS code of HTTP 407 in " + error);
        assertEquals(407, error.path("httpStatus").asInt(), error.toString());
        assertTrue(error.path("message").asText().contains("refused the job's basic credentials"), error.toString());
        assertTrue(!failed.toString().contains("not-it") && !failed.toString().contains("pr0xy-pass"),
                "no secret in info: " + failed);

        cli.ok("set", job, "--credentials", "proxy", "basic", "pat", "--password-file", good.toString());
        cli.ok("resume", job);
        cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
        complete(job);
        assertSameBytes(file, out);
        assertTrue(squid.awaitLogged(r -> r.url().equals(nginx.url("/auth.bin")) && r.user().equals("pat")
                && r.status() == 200), "squid's log shows pat's download: " + squid.log());
    }

    @Test
    void aProxyThatIsDownIsATransientErrorAndTheJobCompletesWhenItIsBack() throws Exception {
        Path file = TestData.randomFile(data.resolve("later.bin"), MIB + 5, 53);
        startNginx("20m");
        int port = Os.freeLoopbackPort();
        String job = cli.createJob("proxy down", "normal");
        cli.ok("set", job, "--proxy", "http://127.0.0.1:" + port, "--min-retry-delay", "1s");
        Path out = add(job, nginx.url("/later.bin"), "later.bin");
        cli.ok("resume", job);

        JsonNode waiting = cli.awaitState(job, "TRANSIENT_ERROR", STATE_TIMEOUT);
        String message = waiting.path("error").path("message").asText();
        assertTrue(message.contains("proxy 127.0.0.1:" + port), "the error names the proxy: " + message);
        assertTrue(nginx.requests("/later.bin").isEmpty(), "nothing went around the proxy");

        Squid squid = closeLater(Squid.start(port, null, null));
        cli.awaitState(job, "TRANSFERRED", TRANSFER_TIMEOUT);
        complete(job);
        assertSameBytes(file, out);
        assertTrue(squid.awaitLogged(r -> r.url().equals(nginx.url("/later.bin"))), "via squid: " + squid.log());
    }
}
