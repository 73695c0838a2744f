package io.jbits.transport.http;

import io.jbits.api.AuthScheme;
import io.jbits.spi.Secret;
import org.apache.hc.client5.http.auth.AuthSchemeFactory;
import org.apache.hc.client5.http.auth.Credentials;
import org.apache.hc.client5.http.auth.NTCredentials;
import org.apache.hc.client5.http.auth.StandardAuthScheme;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicSchemeFactory;
import org.apache.hc.client5.http.impl.auth.DigestSchemeFactory;
import org.apache.hc.core5.http.config.Lookup;
import org.apache.hc.core5.http.config.RegistryBuilder;

/**
 * The authentication schemes jbits speaks over HTTP, as BITS names them ({@code BG_AUTH_SCHEME_*}), and the one place
 * that maps them onto HttpClient 5's own schemes. NTLM and SPNEGO are deprecated in HttpClient 5.6 (not Basic or
 * Digest); keeping every reference to them here means a replacement touches one class.
 */
enum HttpAuth {
    BASIC(AuthScheme.BASIC, StandardAuthScheme.BASIC),
    DIGEST(AuthScheme.DIGEST, StandardAuthScheme.DIGEST),
    NTLM(AuthScheme.NTLM, StandardAuthScheme.NTLM),
    NEGOTIATE(AuthScheme.NEGOTIATE, StandardAuthScheme.SPNEGO);

    /** BITS's scheme, as the job's credentials name it. */
    final AuthScheme scheme;
    /** HttpClient's name, as in the challenge ({@code WWW-Authenticate: Digest …}). */
    final String challengeName;

    HttpAuth(AuthScheme scheme, String challengeName) {
        this.scheme = scheme;
        this.challengeName = challengeName;
    }

    /** Our name for people, as on the command line: "basic", "ntlm". */
    String label() {
        return scheme.label();
    }

    /** The scheme of a challenge name ("Basic", "NTLM", "Negotiate"), or null when jbits does not speak it. */
    static HttpAuth ofChallenge(String name) {
        for (HttpAuth a : values()) {
            if (a.challengeName.equalsIgnoreCase(name)) {
                return a;
            }
        }
        return null;
    }

    /** The HttpClient side of a BITS scheme. */
    static HttpAuth of(AuthScheme scheme) {
        for (HttpAuth a : values()) {
            if (a.scheme == scheme) {
                return a;
            }
        }
        throw new IllegalArgumentException("no HTTP scheme for " + scheme);
    }

    /**
     * HttpClient credentials for a user and secret of this scheme. For NTLM a user written {@code DOMAIN\\name}
     * carries its domain; for Negotiate the user is a Kerberos principal ({@code name@REALM}) and this logs in.
     *
     * @throws javax.security.auth.login.LoginException when the Kerberos login of a Negotiate user fails
     */
    Credentials credentials(String user, Secret secret) throws javax.security.auth.login.LoginException {
        char[] password = secret.reveal(); // HttpClient keeps this copy for the life of the credentials
        return switch (this) {
            case BASIC, DIGEST -> new UsernamePasswordCredentials(user, password);
            case NEGOTIATE -> NegotiateAuth.login(user, password);
            case NTLM -> {
                int slash = user.indexOf('\\');
                String domain = slash < 0 ? null : user.substring(0, slash);
                String name = slash < 0 ? user : user.substring(slash + 1);
                yield new NTCredentials(name, password, null, domain);
            }
        };
    }

    /** The preference order when a server offers several: the strongest first, as WinHTTP does. */
    static final java.util.List<String> PREFERENCE = java.util.List.of(StandardAuthScheme.SPNEGO,
            StandardAuthScheme.NTLM, StandardAuthScheme.DIGEST, StandardAuthScheme.BASIC);

    /** HttpClient's factories for every scheme jbits speaks. */
    @SuppressWarnings("deprecation")
    static Lookup<AuthSchemeFactory> registry() {
        return RegistryBuilder.<AuthSchemeFactory>create()
                .register(StandardAuthScheme.BASIC, BasicSchemeFactory.INSTANCE)
                .register(StandardAuthScheme.DIGEST, DigestSchemeFactory.INSTANCE)
                .register(StandardAuthScheme.NTLM, org.apache.hc.client5.http.impl.auth.NTLMSchemeFactory.INSTANCE)
                .register(StandardAuthScheme.SPNEGO, NegotiateAuth.FACTORY)
                .build();
    }
}
