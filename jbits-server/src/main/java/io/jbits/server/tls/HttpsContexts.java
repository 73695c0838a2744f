package io.jbits.server.tls;

import io.jbits.server.FileWatch;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.util.Scanner;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The server's TLS setup (Jetty's {@link SslContextFactory.Server}): the certificate and key of {@link TlsFiles},
 * TLS 1.2 and 1.3 only, forward-secret AEAD ciphers only, and a reload whenever the files change.
 *
 * <p>A reload replaces the key store for new handshakes; connections already open keep theirs, and upload sessions
 * live on the server's disk, not in a TLS session, so a renewal breaks nothing in flight.
 */
public final class HttpsContexts {

    private static final System.Logger LOG = System.getLogger(HttpsContexts.class.getName());

    /** The protocols offered; older ones are broken or deprecated (RFC 8996). */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /**
     * The cipher suites offered, as patterns: TLS 1.3's, and for TLS 1.2 ephemeral key exchange with AES-GCM or
     * ChaCha20-Poly1305 (the "intermediate" choice of Mozilla's server guidelines, which every Windows since 7 meets).
     */
    static final String[] CIPHER_SUITES = {"TLS_AES_.*", "TLS_CHACHA20_.*", "TLS_ECDHE_.*_WITH_AES_.*_GCM_.*",
        "TLS_ECDHE_.*_WITH_CHACHA20_POLY1305_.*", "TLS_DHE_RSA_WITH_AES_.*_GCM_.*"};

    private HttpsContexts() {
    }

    /**
     * A factory serving the certificate of {@code files}, read now.
     *
     * @throws IOException when a file is unreadable, holds no certificate or key, or the key fits no certificate
     */
    public static SslContextFactory.Server serverContext(TlsFiles files) throws IOException {
        KeyStore store = PemKeyStore.load(files);
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setKeyStore(store);
        factory.setKeyStorePassword(PemKeyStore.PASSWORD);
        factory.setKeyManagerPassword(PemKeyStore.PASSWORD);
        factory.setIncludeProtocols(PROTOCOLS);
        factory.setIncludeCipherSuites(CIPHER_SUITES);
        factory.setRenegotiationAllowed(false);
        factory.setSniRequired(false);
        LOG.log(Level.INFO, "Serving HTTPS with {0}", describe(PemKeyStore.leaf(store)));
        return factory;
    }

    /**
     * Asks clients for a certificate issued by a CA of the PEM bundle {@code caFile}: {@code required} refuses a
     * handshake without one; otherwise a client without a certificate may still connect (and use a password). A
     * certificate from another CA fails the handshake either way.
     *
     * @throws IOException when the file is unreadable or holds no certificate
     */
    public static void trustClients(SslContextFactory.Server factory, Path caFile, boolean required)
            throws IOException {
        KeyStore trust = PemKeyStore.trustStore(caFile);
        factory.setTrustStore(trust);
        if (required) {
            factory.setNeedClientAuth(true);
        } else {
            factory.setWantClientAuth(true);
        }
        LOG.log(Level.INFO, "Accepting client certificates of {0} CA(s) from {1}{2}", Integer.toString(size(trust)),
                caFile, required ? " (required)" : "");
    }

    private static int size(KeyStore store) {
        try {
            return store.size();
        } catch (KeyStoreException e) {
            return 0;
        }
    }

    /** A watch that reloads {@code factory} from {@code files} when they change; add it to the server. */
    public static Scanner reloader(SslContextFactory.Server factory, TlsFiles files, Duration interval) {
        List<Path> paths = files.certFile().equals(files.keyFile()) ? List.of(files.certFile())
                : List.of(files.certFile(), files.keyFile());
        return FileWatch.of(paths, interval, () -> reload(factory, files));
    }

    /** Loads the files again and swaps them in; on failure the certificate in use stays, and the error is logged. */
    static boolean reload(SslContextFactory.Server factory, TlsFiles files) {
        KeyStore store;
        try {
            store = PemKeyStore.load(files);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Keeping the certificate in use: {0}", e.getMessage());
            return false;
        }
        try {
            factory.reload(f -> f.setKeyStore(store));
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Keeping the certificate in use: the new one does not load", e);
            return false;
        }
        LOG.log(Level.INFO, "Reloaded the certificate: now {0}", describe(PemKeyStore.leaf(store)));
        return true;
    }

    private static String describe(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName() + " (serial " + certificate.getSerialNumber()
                .toString(16) + ", valid until " + certificate.getNotAfter().toInstant() + ")";
    }
}
