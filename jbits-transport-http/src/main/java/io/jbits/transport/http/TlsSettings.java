package io.jbits.transport.http;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A job's TLS options ({@code tls.ca-file}, {@code tls.client-cert}, {@code tls.client-key}, {@code tls.ignore})
 * joined with the service's extra CA file.
 *
 * @param serviceCaFile PEM certificates the whole service trusts besides the system's, or null
 * @param caFile PEM certificates this job trusts besides those, or null
 * @param clientCert the PEM certificate chain this job presents when a server asks for one, or null
 * @param clientKey the PEM (PKCS#8, unencrypted) private key of {@code clientCert}, or null
 * @param ignore the certificate errors this job accepts (never any by default)
 */
record TlsSettings(Path serviceCaFile, Path caFile, Path clientCert, Path clientKey, Set<Ignore> ignore) {

    /** Certificate errors a job may accept, as BITS's {@code BG_SSL_IGNORE_*} flags. */
    enum Ignore {
        /** The chain does not lead to a trusted CA ({@code BG_SSL_IGNORE_UNKNOWN_CA}). */
        UNKNOWN_CA("unknown-ca"),
        /** A certificate is expired or not yet valid ({@code BG_SSL_IGNORE_CERT_DATE_INVALID}). */
        EXPIRED("expired"),
        /** The certificate does not name the host ({@code BG_SSL_IGNORE_CERT_CN_INVALID}). */
        NAME("name");

        final String optionName;

        Ignore(String optionName) {
            this.optionName = optionName;
        }
    }

    TlsSettings {
        ignore = ignore.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(ignore));
    }

    /** True when nothing differs from the service's defaults: the shared TLS set-up serves this job. */
    boolean isDefault() {
        return caFile == null && clientCert == null && clientKey == null && ignore.isEmpty();
    }

    /**
     * Reads {@code tls.ignore}: comma-separated {@code unknown-ca}, {@code expired}, {@code name}.
     *
     * @throws IllegalArgumentException naming the unknown word
     */
    static Set<Ignore> parseIgnore(String text) {
        Set<Ignore> out = EnumSet.noneOf(Ignore.class);
        if (text == null) {
            return out;
        }
        for (String word : text.split("[,\\s]+")) {
            if (word.isBlank()) {
                continue;
            }
            Ignore match = null;
            for (Ignore i : Ignore.values()) {
                if (i.optionName.equals(word.trim().toLowerCase(Locale.ROOT))) {
                    match = i;
                }
            }
            if (match == null) {
                throw new IllegalArgumentException("unknown certificate error '" + word
                        + "': expected unknown-ca, expired or name");
            }
            out.add(match);
        }
        return out;
    }
}
