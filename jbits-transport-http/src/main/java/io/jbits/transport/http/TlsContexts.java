package io.jbits.transport.http;

import io.jbits.spi.TlsSettings;
import io.jbits.spi.TlsSettings.CertError;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;

/**
 * Builds, and keeps, the TLS set-up of each distinct {@link TlsSetup}: the system's trust store plus the service's
 * and the job's CA files, the job's client certificate, and the relaxations the job asked for. A set-up is built
 * once per settings and file versions (a CA file replaced on disk gives a new one).
 */
final class TlsContexts {
    /** More distinct set-ups than this and the cache starts over: a bound, not a tuning knob. */
    private static final int MAX_CACHED = 64;

    private final Map<Object, TlsSocketStrategy> cache = new ConcurrentHashMap<>();

    /** The strategy for {@code settings}; throws naming the file that could not be used. */
    TlsSocketStrategy strategyFor(TlsSetup settings) throws IOException, GeneralSecurityException {
        List<Object> key = List.of(settings, stamp(settings.serviceCaFile()), stamp(settings.caFile()),
                stamp(settings.clientCert()), stamp(settings.clientKey()));
        TlsSocketStrategy s = cache.get(key);
        if (s == null) {
            s = build(settings);
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(key, s);
        }
        return s;
    }

    private static Object stamp(Path file) throws IOException {
        return file == null ? "-" : file + "@" + Files.getLastModifiedTime(file).toMillis() + "/" + Files.size(file);
    }

    private static TlsSocketStrategy build(TlsSetup settings) throws IOException, GeneralSecurityException {
        X509TrustManager system = systemTrustManager();
        List<X509Certificate> anchors = new ArrayList<>(List.of(system.getAcceptedIssuers()));
        anchors.addAll(certificates(settings.serviceCaFile(), "CA file"));
        anchors.addAll(certificates(settings.caFile(), TlsSettings.CA_FILE.name()));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < anchors.size(); i++) {
            trust.setCertificateEntry("ca" + i, anchors.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        X509ExtendedTrustManager strict = (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
        TrustManager tm = settings.ignore().isEmpty() ? strict : new Relaxed(strict, trust, settings.ignore());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(settings), new TrustManager[] {tm}, null);
        boolean checkName = !settings.ignore().contains(CertError.NAME);
        return new DefaultClientTlsStrategy(context, HostnameVerificationPolicy.CLIENT,
                checkName ? new DefaultHostnameVerifier() : NoopHostnameVerifier.INSTANCE);
    }

    private static X509TrustManager systemTrustManager() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("the JDK has no X.509 trust manager");
    }

    /** Every certificate of a PEM (or DER) file; none for a null path. */
    static List<X509Certificate> certificates(Path file, String what) throws IOException, GeneralSecurityException {
        if (file == null) {
            return List.of();
        }
        Collection<? extends Certificate> read;
        try (InputStream in = Files.newInputStream(file)) {
            read = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (CertificateException e) {
            throw new CertificateException(what + " " + file + " holds no readable certificate: " + e.getMessage(),
                    e);
        }
        if (read.isEmpty()) {
            throw new CertificateException(what + " " + file + " holds no certificate");
        }
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : read) {
            out.add((X509Certificate) c);
        }
        return out;
    }

    private static KeyManager[] keyManagers(TlsSetup settings) throws IOException, GeneralSecurityException {
        if (settings.clientCert() == null && settings.clientKey() == null) {
            return null;
        }
        if (settings.clientCert() == null || settings.clientKey() == null) {
            throw new GeneralSecurityException("a client certificate needs both " + TlsSettings.CLIENT_CERT + " and "
                    + TlsSettings.CLIENT_KEY);
        }
        List<X509Certificate> chain = certificates(settings.clientCert(), TlsSettings.CLIENT_CERT.name());
        PrivateKey key = privateKey(settings.clientKey());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] none = new char[0];
        store.setKeyEntry("client", key, none, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, none);
        return kmf.getKeyManagers();
    }

    /** An unencrypted PKCS#8 PEM key ("BEGIN PRIVATE KEY") of RSA, EC or EdDSA. */
    private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file);
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new GeneralSecurityException(TlsSettings.CLIENT_KEY + " " + file + " is not an unencrypted PKCS#8"
                    + " PEM key (BEGIN PRIVATE KEY); convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm: PKCS#8 names it, but KeyFactory wants it up front
            }
        }
        throw new GeneralSecurityException(TlsSettings.CLIENT_KEY + " " + file + ": not an RSA, EC or EdDSA key");
    }

    /**
     * Validates with the strict trust manager first; on failure, accepts the chain when every problem it has is
     * one the job chose to ignore: an unknown CA, or a certificate outside its validity dates. Whether the CA is
     * known is decided by a PKIX validation at a moment inside every certificate's validity, so an expired
     * certificate from a trusted CA is "expired", not "unknown CA".
     */
    private static final class Relaxed extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager strict;
        private final KeyStore anchors;
        private final Set<CertError> ignore;

        Relaxed(X509ExtendedTrustManager strict, KeyStore anchors, Set<CertError> ignore) {
            this.strict = strict;
            this.anchors = anchors;
            this.ignore = ignore;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                strict.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                boolean expired = false;
                Date latestStart = new Date(0);
                Date earliestEnd = new Date(Long.MAX_VALUE);
                for (X509Certificate c : chain) {
                    try {
                        c.checkValidity();
                    } catch (CertificateException dates) {
                        expired = true;
                    }
                    latestStart = c.getNotBefore().after(latestStart) ? c.getNotBefore() : latestStart;
                    earliestEnd = c.getNotAfter().before(earliestEnd) ? c.getNotAfter() : earliestEnd;
                }
                Date inside = latestStart.before(earliestEnd) ? latestStart : new Date();
                boolean knownCa = chainsToAnchor(chain, inside);
                if ((knownCa || ignore.contains(CertError.UNKNOWN_CA))
                        && (!expired || ignore.contains(CertError.EXPIRED))) {
                    return;
                }
                throw e;
            }
        }

        private boolean chainsToAnchor(X509Certificate[] chain, Date at) {
            try {
                List<X509Certificate> path = new ArrayList<>(List.of(chain));
                while (!path.isEmpty() && anchors.getCertificateAlias(path.getLast()) != null) {
                    path.removeLast();
                }
                if (path.isEmpty()) {
                    return true;
                }
                PKIXParameters params = new PKIXParameters(anchors);
                params.setRevocationEnabled(false);
                params.setDate(at);
                CertPathValidator.getInstance("PKIX").validate(
                        CertificateFactory.getInstance("X.509").generateCertPath(path), params);
                return true;
            } catch (GeneralSecurityException e) {
                return false;
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a download client does not authenticate clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return strict.getAcceptedIssuers();
        }
    }
}
