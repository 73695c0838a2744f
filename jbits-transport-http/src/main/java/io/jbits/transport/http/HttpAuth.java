package io.jbits.transport.http;

import java.util.Locale;
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
    BASIC("basic", StandardAuthScheme.BASIC),
    DIGEST("digest", StandardAuthScheme.DIGEST),
    NTLM("ntlm", StandardAuthScheme.NTLM),
    NEGOTIATE("negotiate", StandardAuthScheme.SPNEGO);

    /** Our name, as in the job options {@code cred.<target>.<name>.user}. */
    final String optionName;
    /** HttpClient's name, as in the challenge ({@code WWW-Authenticate: Digest …}). */
    final String challengeName;

    HttpAuth(String optionName, String challengeName) {
        this.optionName = optionName;
        this.challengeName = challengeName;
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

    /** The scheme of an option name ("basic", "ntlm"), or null. */
    static HttpAuth ofOption(String name) {
        for (HttpAuth a : values()) {
            if (a.optionName.equals(name.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        return null;
    }

    /**
     * HttpClient credentials for a user and secret of this scheme. For NTLM a user written {@code DOMAIN\\name}
     * carries its domain; for Negotiate the user is a Kerberos principal ({@code name@REALM}) and this logs in.
     *
     * @throws javax.security.auth.login.LoginException when the Kerberos login of a Negotiate user fails
     */
    Credentials credentials(String user, String secret) throws javax.security.auth.login.LoginException {
        char[] password = secret == null ? new char[0] : secret.toCharArray();
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
