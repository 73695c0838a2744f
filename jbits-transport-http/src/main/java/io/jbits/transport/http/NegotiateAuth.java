package io.jbits.transport.http;

import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.auth.AuthSchemeFactory;
import org.apache.hc.client5.http.auth.Credentials;
import org.apache.hc.client5.http.auth.KerberosConfig;
import org.apache.hc.client5.http.auth.KerberosCredentials;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.Oid;

/**
 * Negotiate (SPNEGO with Kerberos) for a job's explicit user and password: a Kerberos login through the JDK's
 * {@code Krb5LoginModule} (realm and KDC from the system's {@code krb5.conf}), whose ticket becomes the GSS
 * credential HttpClient's SPNEGO scheme initiates the context with. Nothing is read from or written to a ticket
 * cache, so one job's login never serves another's.
 */
final class NegotiateAuth {
    /** HttpClient's SPNEGO scheme, naming the service by the host as written (no reverse DNS). */
    @SuppressWarnings("deprecation")
    static final AuthSchemeFactory FACTORY = new org.apache.hc.client5.http.impl.auth.SPNegoSchemeFactory(
            KerberosConfig.custom()
                    .setStripPort(KerberosConfig.Option.ENABLE)
                    .setUseCanonicalHostname(KerberosConfig.Option.DISABLE)
                    .build(),
            SystemDefaultDnsResolver.INSTANCE);

    private static final String SPNEGO_OID = "1.3.6.1.5.5.2";

    private NegotiateAuth() {
    }

    /** Logs {@code principal} in with {@code password} and returns its SPNEGO initiator credential. */
    @SuppressWarnings("deprecation")
    static Credentials login(String principal, char[] password) throws LoginException {
        LoginContext login = new LoginContext("jbits", new Subject(), callbacks -> {
            for (Callback c : callbacks) {
                if (c instanceof NameCallback n) {
                    n.setName(principal);
                } else if (c instanceof PasswordCallback p) {
                    p.setPassword(password);
                } else {
                    throw new UnsupportedCallbackException(c);
                }
            }
        }, new Krb5Only());
        login.login();
        try {
            GSSCredential credential = Subject.callAs(login.getSubject(), () -> GSSManager.getInstance()
                    .createCredential(null, GSSCredential.DEFAULT_LIFETIME, new Oid(SPNEGO_OID),
                            GSSCredential.INITIATE_ONLY));
            return new KerberosCredentials(credential);
        } catch (java.util.concurrent.CompletionException e) {
            LoginException failure = new LoginException("no Kerberos credential for " + principal + ": "
                    + (e.getCause() instanceof GSSException g ? g.getMessage() : String.valueOf(e.getCause())));
            failure.initCause(e.getCause());
            throw failure;
        }
    }

    /** A JAAS configuration with the JDK's Kerberos module alone, asking for the password, caching nothing. */
    private static final class Krb5Only extends Configuration {
        @Override
        public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
            return new AppConfigurationEntry[] {new AppConfigurationEntry(
                    "com.sun.security.auth.module.Krb5LoginModule",
                    AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                    Map.of("useTicketCache", "false", "doNotPrompt", "false", "storeKey", "false",
                            "refreshKrb5Config", "true"))};
        }
    }
}
