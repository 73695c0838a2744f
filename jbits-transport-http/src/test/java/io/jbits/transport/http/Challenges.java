package io.jbits.transport.http;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;

/** Test servers' side of HTTP authentication: Basic, Digest (MD5, qop=auth) and the NTLM handshake. */
final class Challenges {
    private Challenges() {
    }

    /** Serves {@code entity} to requests with Basic credentials {@code user}:{@code password}, else 401. */
    static TestServer.Exchange basic(String user, String password, TestServer.Exchange entity) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        return (request, response) -> {
            if (expected.equals(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                entity.handle(request, response);
            } else {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"jbits\"");
                TestServer.send(response, 401, "who are you?".getBytes(StandardCharsets.US_ASCII));
            }
        };
    }

    /** Serves {@code entity} to requests with a valid Digest answer for {@code user}:{@code password}, else 401. */
    static TestServer.Exchange digest(String user, String password, TestServer.Exchange entity) {
        return digest(user, password, entity, false);
    }

    /** As {@link #digest}, but as a forward proxy that answers itself: 407 and the Proxy- headers. */
    static TestServer.Exchange proxyDigest(String user, String password, TestServer.Exchange entity) {
        return digest(user, password, entity, true);
    }

    private static TestServer.Exchange digest(String user, String password, TestServer.Exchange entity,
                                              boolean proxy) {
        String realm = "jbits";
        String nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
        HttpHeader challenge = proxy ? HttpHeader.PROXY_AUTHENTICATE : HttpHeader.WWW_AUTHENTICATE;
        HttpHeader answer = proxy ? HttpHeader.PROXY_AUTHORIZATION : HttpHeader.AUTHORIZATION;
        return (request, response) -> {
            String auth = request.getHeaders().get(answer);
            if (auth != null && auth.startsWith("Digest ")) {
                Map<String, String> p = params(auth.substring(7));
                String ha1 = md5(user + ":" + realm + ":" + password);
                String ha2 = md5(request.getMethod() + ":" + p.get("uri"));
                String expected = md5(ha1 + ":" + nonce + ":" + p.get("nc") + ":" + p.get("cnonce") + ":"
                        + p.get("qop") + ":" + ha2);
                if (user.equals(p.get("username")) && nonce.equals(p.get("nonce"))
                        && expected.equals(p.get("response"))) {
                    entity.handle(request, response);
                    return;
                }
            }
            response.getHeaders().put(challenge, "Digest realm=\"" + realm
                    + "\", qop=\"auth\", nonce=\"" + nonce + "\", algorithm=MD5");
            TestServer.send(response, proxy ? 407 : 401, "who are you?".getBytes(StandardCharsets.US_ASCII));
        };
    }

    /**
     * Runs the NTLM handshake (negotiate, challenge, authenticate) and serves {@code entity} once a type 3 message
     * names {@code user} of {@code domain}. It does not check the NTLM response itself (that needs the password
     * database of a domain controller): it proves the handshake and what the client claims.
     */
    static TestServer.Exchange ntlm(String domain, String user, TestServer.Exchange entity) {
        return (request, response) -> {
            String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            if (auth != null && auth.startsWith("NTLM ")) {
                byte[] message = Base64.getDecoder().decode(auth.substring(5).trim());
                int type = ByteBuffer.wrap(message, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                if (type == 1) {
                    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "NTLM "
                            + Base64.getEncoder().encodeToString(type2()));
                    TestServer.send(response, 401, new byte[0]);
                    return;
                }
                String text = new String(message, StandardCharsets.UTF_16LE);
                if (type == 3 && text.contains(user) && text.contains(domain)) {
                    entity.handle(request, response);
                    return;
                }
            }
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "NTLM");
            TestServer.send(response, 401, new byte[0]);
        };
    }

    /** A minimal NTLM challenge: Unicode, NTLM, always-sign, a fixed server challenge, no target. */
    private static byte[] type2() {
        ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        b.put("NTLMSSP\0".getBytes(StandardCharsets.US_ASCII));
        b.putInt(2);
        b.putShort((short) 0).putShort((short) 0).putInt(48);
        b.putInt(0x00008201);
        b.put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        b.put(new byte[8]);
        b.putShort((short) 0).putShort((short) 0).putInt(48);
        return b.array();
    }

    private static Map<String, String> params(String text) {
        Map<String, String> out = new HashMap<>();
        Matcher m = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]*))").matcher(text);
        while (m.find()) {
            out.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return out;
    }

    static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
