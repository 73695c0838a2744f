package io.jbits.server.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the server's certificate and key live: PEM files as certbot and other ACME clients write them.
 *
 * @param certFile the certificate, followed by the intermediate certificates of its chain ({@code fullchain.pem})
 * @param keyFile the private key, unencrypted PKCS#8, PKCS#1 (RSA) or SEC 1 (EC); it may be the same file as
 *     {@code certFile}
 */
public record TlsFiles(Path certFile, Path keyFile) {

    public TlsFiles {
        certFile = Objects.requireNonNull(certFile, "certFile").toAbsolutePath();
        keyFile = Objects.requireNonNull(keyFile, "keyFile").toAbsolutePath();
    }
}
