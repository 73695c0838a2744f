package io.jbits.transport.http;

import io.jbits.spi.TlsSettings;
import io.jbits.spi.TlsSettings.CertError;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * A job's {@link TlsSettings} joined with the service's extra CA file: what one TLS set-up is built from.
 *
 * @param serviceCaFile PEM certificates the whole service trusts besides the system's, or null
 * @param caFile PEM certificates this job trusts besides those, or null
 * @param clientCert the PEM certificate chain this job presents when a server asks for one, or null
 * @param clientKey the PEM (PKCS#8, unencrypted) private key of {@code clientCert}, or null
 * @param ignore the certificate errors this job accepts (never any by default)
 */
record TlsSetup(Path serviceCaFile, Path caFile, Path clientCert, Path clientKey, Set<CertError> ignore) {

    TlsSetup {
        ignore = ignore.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(ignore));
    }

    /**
     * The set-up of a job's settings.
     *
     * @throws IllegalArgumentException when a path cannot be one
     */
    static TlsSetup of(Path serviceCaFile, TlsSettings job) {
        return new TlsSetup(serviceCaFile, path(job.caFile()), path(job.clientCert()), path(job.clientKey()),
                Set.copyOf(job.ignore()));
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }

    /** True when nothing differs from the service's defaults: the shared TLS set-up serves this job. */
    boolean isDefault() {
        return caFile == null && clientCert == null && clientKey == null && ignore.isEmpty();
    }
}
