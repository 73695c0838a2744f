package io.jbits.server.auth;

import java.lang.System.Logger.Level;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Authenticates a request by the client certificate of its TLS connection: the certificate's subject common name
 * (CN) becomes the request's user, without a password, as a {@link BasicAuthHandler} user would (the access log's
 * user, the owner of the sessions it creates, the {@code {user}} of a directory's path).
 *
 * <p>The TLS handshake has already checked the certificate against the trusted CAs ({@code --tls-client-ca}); a
 * certificate from another CA never gets this far. A request without a certificate goes on to the wrapped handler
 * (a {@link BasicAuthHandler} asks it for a password) unless certificates are required, when it gets 403.
 */
public final class ClientCertificateHandler extends Handler.Wrapper {

    private static final System.Logger LOG = System.getLogger(ClientCertificateHandler.class.getName());

    private final boolean required;

    /**
     * @param required refuse requests without a certificate (no passwords on this server); the TLS handshake
     *     already asks for one then, so only a request that reached the server some other way is refused here
     */
    public ClientCertificateHandler(boolean required) {
        this.required = required;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        X509Certificate certificate = clientCertificate(request);
        String user = certificate == null ? null : commonName(certificate);
        if (user != null) {
            Request.setAuthenticationState(request, new BasicAuthHandler.User(user));
            return super.handle(request, response, callback);
        }
        if (certificate != null) {
            LOG.log(Level.INFO, "Refused the client certificate of {0}: its subject {1} has no CN",
                    Request.getRemoteAddr(request), certificate.getSubjectX500Principal().getName());
        }
        if (required || certificate != null) {
            Response.writeError(request, response, callback, 403);
            return true;
        }
        return super.handle(request, response, callback);
    }

    /** The leaf certificate the client presented on this request's TLS connection, or null. */
    static X509Certificate clientCertificate(Request request) {
        if (!(request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData data)) {
            return null;
        }
        X509Certificate[] chain = data.peerCertificates();
        return chain == null || chain.length == 0 ? null : chain[0];
    }

    /** The last (most specific) CN of the certificate's subject, or null when it has none. */
    static String commonName(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        RDN[] names = subject.getRDNs(BCStyle.CN);
        if (names.length == 0) {
            return null;
        }
        ASN1Encodable value = names[names.length - 1].getFirst().getValue();
        String name = value instanceof ASN1String text ? text.getString() : IETFUtils.valueToString(value);
        return name.isBlank() ? null : name;
    }
}
