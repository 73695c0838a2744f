package io.jbits.server.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads a PEM certificate chain and its private key into an in-memory key store (BouncyCastle's PEM parser: the
 * JDK reads PEM keys only from JDK 25 on, and then as a preview feature).
 *
 * <p>The key must belong to a certificate of the chain; that certificate goes first, whatever the file's order. A
 * key that fits no certificate is refused here, not at the first handshake: a renewal caught between writing the
 * new certificate and the new key is retried at the next change, with the old pair still in use.
 */
final class PemKeyStore {

    /** The alias of the one entry; the store lives in memory only, so its password protects nothing. */
    static final String ALIAS = "jbits-serve";
    static final String PASSWORD = "jbits-serve";

    private PemKeyStore() {
    }

    /** The key store of {@code files}, or an IOException that names the file and what is wrong with it. */
    static KeyStore load(TlsFiles files) throws IOException {
        List<X509Certificate> chain = certificates(files.certFile());
        if (chain.isEmpty()) {
            throw new IOException(files.certFile() + " holds no PEM certificate");
        }
        PrivateKey key = privateKey(files.keyFile());
        int leaf = -1;
        for (int i = 0; i < chain.size() && leaf < 0; i++) {
            if (matches(key, chain.get(i))) {
                leaf = i;
            }
        }
        if (leaf < 0) {
            throw new IOException("the key in " + files.keyFile() + " belongs to no certificate in "
                    + files.certFile());
        }
        List<Certificate> ordered = new ArrayList<>(chain);
        ordered.addFirst(ordered.remove(leaf));
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, PASSWORD.toCharArray(), ordered.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the key of " + files.keyFile() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A trust store of every certificate in the PEM bundle {@code caFile} (the CAs whose client certificates are
     * accepted).
     *
     * @throws IOException when the file is unreadable or holds no certificate
     */
    static KeyStore trustStore(Path caFile) throws IOException {
        List<X509Certificate> authorities = certificates(caFile);
        if (authorities.isEmpty()) {
            throw new IOException(caFile + " holds no PEM certificate");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < authorities.size(); i++) {
                store.setCertificateEntry("ca-" + i, authorities.get(i));
            }
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the certificates of " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** The certificate the server presents (the first of the store's chain). */
    static X509Certificate leaf(KeyStore store) {
        try {
            return (X509Certificate) store.getCertificate(ALIAS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("cannot read the certificates in " + file + ": " + e.getMessage(), e);
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IOException("the key in " + file + " is encrypted; jbits serve needs it unencrypted "
                            + "(readable by the server's user only)");
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("cannot read the key in " + file + ": " + e.getMessage(), e);
        }
        throw new IOException(file + " holds no PEM private key");
    }

    /** True when {@code key} signs what the certificate's public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null || !certificate.getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            return false;
        }
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
