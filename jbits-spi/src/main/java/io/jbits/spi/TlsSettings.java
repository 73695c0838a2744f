package io.jbits.spi;

import io.jbits.api.JbitsException;
import io.jbits.api.TlsOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A job's TLS settings beyond the system's trust store, as the options {@code tls.*} hold them: an extra CA file, a
 * client certificate and its key, and the certificate errors the job accepts. {@link #checked} is the way in from
 * the API; {@link #from} reads what is stored.
 *
 * @param caFile PEM certificates of CAs this job trusts too (an absolute path), or null
 * @param clientCert the PEM certificate chain presented to servers that ask for one, or null
 * @param clientKey the unencrypted PKCS#8 PEM key of {@code clientCert}, or null
 * @param ignore the certificate errors this job accepts, in the order given, each once; never any by default
 */
public record TlsSettings(String caFile, String clientCert, String clientKey, List<CertError> ignore) {
    /** {@code tls.ca-file}: the path of an extra PEM CA file; absent means none. */
    public static final OptionKey<String> CA_FILE = OptionKey.text("tls.ca-file");
    /** {@code tls.client-cert}: the path of the PEM client certificate; absent means none. */
    public static final OptionKey<String> CLIENT_CERT = OptionKey.text("tls.client-cert");
    /** {@code tls.client-key}: the path of the client certificate's PKCS#8 PEM key; absent means none. */
    public static final OptionKey<String> CLIENT_KEY = OptionKey.text("tls.client-key");
    /** {@code tls.ignore}: accepted certificate errors, comma-separated {@link CertError} labels; absent means none. */
    public static final OptionKey<String> IGNORE = OptionKey.text("tls.ignore");

    /** Nothing beyond the system's trust store. */
    public static final TlsSettings NONE = new TlsSettings(null, null, null, List.of());

    /** Certificate errors a job may accept, as BITS's {@code BG_SSL_IGNORE_*} flags. */
    public enum CertError {
        /** The chain does not lead to a trusted CA ({@code BG_SSL_IGNORE_UNKNOWN_CA}). */
        UNKNOWN_CA("unknown-ca"),
        /** A certificate is expired or not yet valid ({@code BG_SSL_IGNORE_CERT_DATE_INVALID}). */
        EXPIRED("expired"),
        /** The certificate does not name the host ({@code BG_SSL_IGNORE_CERT_CN_INVALID}). */
        NAME("name");

        private final String label;

        CertError(String label) {
            this.label = label;
        }

        /** The name in options, on the command line and in JSON. */
        public String label() {
            return label;
        }

        /**
         * The error of a label, in any case.
         *
         * @throws IllegalArgumentException naming the unknown word
         */
        public static CertError parse(String word) {
            for (CertError e : values()) {
                if (e.label.equals(word.trim().toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
            throw new IllegalArgumentException("unknown certificate error '" + word
                    + "': expected unknown-ca, expired or name");
        }
    }

    public TlsSettings {
        ignore = List.copyOf(ignore.stream().distinct().toList());
    }

    /**
     * Settings as the owner gives them: paths absolute, a certificate only with its key, known error names.
     *
     * @throws JbitsException E_INVALIDARG naming what is wrong
     */
    public static TlsSettings checked(TlsOptions tls) {
        TlsOptions t = tls == null ? TlsOptions.none() : tls;
        String ca = absolute("CA file", t.caFile());
        String cert = absolute("client certificate", t.clientCertificate());
        String key = absolute("client key", t.clientKey());
        if ((cert == null) != (key == null)) {
            throw JbitsException.invalidArgument("a client certificate needs both the certificate and its key");
        }
        List<CertError> errors = new ArrayList<>();
        for (String e : t.ignoreCertErrors()) {
            CertError match = null;
            for (CertError c : CertError.values()) {
                if (c.label.equals(e)) {
                    match = c;
                }
            }
            if (match == null) {
                throw JbitsException.invalidArgument("unknown certificate error '" + e
                        + "': expected unknown-ca, expired or name");
            }
            errors.add(match);
        }
        return new TlsSettings(ca, cert, key, errors);
    }

    private static String absolute(String what, String path) {
        if (path == null || path.isBlank()) {
            return null;
        }
        if (!Path.of(path).isAbsolute()) {
            throw JbitsException.invalidArgument(what + " must be an absolute path: " + path);
        }
        return path;
    }

    /**
     * The TLS settings of a job's options; blank paths count as none.
     *
     * @throws IllegalArgumentException when {@code tls.ignore} names an unknown error
     */
    public static TlsSettings from(JobOptions options) {
        List<CertError> errors = new ArrayList<>();
        String text = options.get(IGNORE);
        if (text != null) {
            for (String word : text.split("[,\\s]+")) {
                if (!word.isBlank()) {
                    errors.add(CertError.parse(word));
                }
            }
        }
        return new TlsSettings(path(options, CA_FILE), path(options, CLIENT_CERT), path(options, CLIENT_KEY), errors);
    }

    private static String path(JobOptions options, OptionKey<String> key) {
        String value = options.get(key);
        return value == null || value.isBlank() ? null : value;
    }

    /** These options with these settings in them; what is unset is removed. */
    public JobOptions writeTo(JobOptions options) {
        String labels = ignore.stream().map(CertError::label).collect(Collectors.joining(","));
        return options.with(CA_FILE, caFile).with(CLIENT_CERT, clientCert).with(CLIENT_KEY, clientKey)
                .with(IGNORE, labels.isEmpty() ? null : labels);
    }

    /** True when nothing differs from the system's trust store and strict checking. */
    public boolean isDefault() {
        return caFile == null && clientCert == null && clientKey == null && ignore.isEmpty();
    }

    /** True when {@code optionName} is one of these settings' options. */
    public static boolean owns(String optionName) {
        return optionName.equals(CA_FILE.name()) || optionName.equals(CLIENT_CERT.name())
                || optionName.equals(CLIENT_KEY.name()) || optionName.equals(IGNORE.name());
    }
}
