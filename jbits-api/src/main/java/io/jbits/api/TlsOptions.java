package io.jbits.api;

import java.util.List;

/**
 * A job's TLS settings beyond the system's trust store. Paths are absolute and read by the service as the job's
 * owner.
 *
 * @param caFile PEM certificates of CAs this job trusts too, or null
 * @param clientCertificate the PEM certificate (chain) presented to servers that ask for one, or null
 * @param clientKey the unencrypted PKCS#8 PEM private key of {@code clientCertificate}, or null
 * @param ignoreCertErrors certificate errors the job accepts: {@code unknown-ca}, {@code expired}, {@code name}
 *     (BITS's {@code BG_SSL_IGNORE_*}); empty by default, and never implied
 */
public record TlsOptions(String caFile, String clientCertificate, String clientKey, List<String> ignoreCertErrors) {
    public TlsOptions {
        ignoreCertErrors = ignoreCertErrors == null ? List.of() : List.copyOf(ignoreCertErrors);
    }

    /** No extra CA, no client certificate, no relaxation. */
    public static TlsOptions none() {
        return new TlsOptions(null, null, null, List.of());
    }
}
