package io.jbits.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jbits.api.BitsCodes;
import io.jbits.spi.TransferFailure;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The redirect decisions, without a server. */
class RedirectPolicyTest {
    private static final URI HTTPS = URI.create("https://example.test/a/file");

    private static int refusal(RedirectPolicy policy, URI from, String location, List<URI> chain) {
        TransferFailure f = assertThrows(TransferFailure.class, () -> policy.next(from, 302, location, chain));
        return f.error().code();
    }

    @Test
    void httpsToHttpIsRefusedByDefault() {
        assertEquals(BitsCodes.E_REDIRECT_FAILED,
                refusal(RedirectPolicy.DEFAULT, HTTPS, "http://example.test/a/file", List.of(HTTPS)));
    }

    @Test
    void httpsToHttpIsFollowedWhenAllowed() throws Exception {
        RedirectPolicy lenient = new RedirectPolicy(true, 10);
        assertEquals(URI.create("http://example.test/a/file"),
                lenient.next(HTTPS, 302, "http://example.test/a/file", List.of(HTTPS)));
    }

    @Test
    void httpToHttpsAndRelativeLocationsAreFollowed() throws Exception {
        URI http = URI.create("http://example.test/a/file");
        assertEquals(HTTPS, RedirectPolicy.DEFAULT.next(http, 301, "https://example.test/a/file", List.of(http)));
        assertEquals(URI.create("https://example.test/b/other"),
                RedirectPolicy.DEFAULT.next(HTTPS, 301, "../b/other#part", List.of(HTTPS)));
    }

    @Test
    void nonHttpSchemesAreRefused() {
        assertEquals(BitsCodes.E_REDIRECT_FAILED,
                refusal(RedirectPolicy.DEFAULT, HTTPS, "smb://server/share/file", List.of(HTTPS)));
        assertEquals(BitsCodes.E_REDIRECT_FAILED,
                refusal(RedirectPolicy.DEFAULT, HTTPS, "file:///etc/passwd", List.of(HTTPS)));
    }

    @Test
    void malformedLocationIsRefused() {
        assertEquals(BitsCodes.E_REDIRECT_FAILED,
                refusal(RedirectPolicy.DEFAULT, HTTPS, "http://exa mple.test/^^", List.of(HTTPS)));
    }

    @Test
    void theEleventhRedirectIsRefused() throws Exception {
        List<URI> chain = new ArrayList<>(List.of(HTTPS));
        URI current = HTTPS;
        for (int i = 1; i <= 10; i++) {
            current = RedirectPolicy.DEFAULT.next(current, 302, "/hop" + i, chain);
            chain.add(current);
        }
        assertEquals(BitsCodes.E_REDIRECT_FAILED, refusal(RedirectPolicy.DEFAULT, current, "/hop11", chain));
    }

    @Test
    void aLoopIsRefused() {
        URI b = URI.create("https://example.test/b");
        assertEquals(BitsCodes.E_REDIRECT_FAILED, refusal(RedirectPolicy.DEFAULT, b, HTTPS.toString(),
                List.of(HTTPS, b)));
    }
}
