package io.jbits.transport.smb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hierynomus.smbj.auth.AuthenticationContext;
import io.jbits.api.AuthScheme;
import io.jbits.api.AuthTarget;
import io.jbits.api.Credentials;
import io.jbits.spi.CredentialSettings;
import io.jbits.spi.JobOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmbLogonTest {
    private static String options(Credentials... cs) {
        CredentialSettings settings = CredentialSettings.NONE;
        for (Credentials c : cs) {
            settings = settings.with(c);
        }
        return settings.writeTo(JobOptions.empty()).toJson();
    }

    private static Credentials server(AuthScheme s, String user, String pw) {
        return new Credentials(AuthTarget.SERVER, s, user, pw.toCharArray());
    }

    @Test
    void ntlmComesFirstAndDomainsAreTakenFromEitherSpelling() {
        SmbLogon l = SmbLogon.of(options(server(AuthScheme.BASIC, "b", "1"),
                server(AuthScheme.NTLM, "CORP\\ann", "2")));
        assertEquals("ann", l.user());
        assertEquals("CORP", l.domain());
        assertEquals("CORP\\ann", l.who());
        AuthenticationContext ctx = l.contexts().getFirst();
        assertEquals("ann", ctx.getUsername());
        assertEquals("CORP", ctx.getDomain());
        assertEquals("2", new String(ctx.getPassword()));

        SmbLogon upn = SmbLogon.of(options(server(AuthScheme.NEGOTIATE, "bob@corp.example", "3")));
        assertEquals("bob", upn.user());
        assertEquals("corp.example", upn.domain());
    }

    @Test
    void proxyCredentialsDoNotCountAndNoneMeansAnonymousThenGuest() {
        SmbLogon l = SmbLogon.of(options(new Credentials(AuthTarget.PROXY, AuthScheme.NTLM, "p", "x".toCharArray())));
        assertTrue(l.anonymous());
        List<AuthenticationContext> tries = l.contexts();
        assertTrue(tries.get(0).isAnonymous());
        assertTrue(tries.get(1).isGuest());
        assertEquals("", l.identity());
    }

    @Test
    void theIdentityTellsPasswordsApartWithoutHoldingThem() {
        SmbLogon a = SmbLogon.of(options(server(AuthScheme.NTLM, "ann", "secret-one")));
        SmbLogon b = SmbLogon.of(options(server(AuthScheme.NTLM, "ann", "secret-two")));
        assertNotEquals(a.identity(), b.identity());
        assertFalse(a.identity().contains("secret-one"));
        assertFalse(a.toString().contains("secret-one"));
    }
}
