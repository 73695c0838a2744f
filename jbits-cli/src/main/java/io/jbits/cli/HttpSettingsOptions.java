package io.jbits.cli;

import io.jbits.api.JobInfo;
import io.jbits.api.ProxyUsage;
import io.jbits.api.Redirects;
import io.jbits.api.TlsOptions;
import io.jbits.api.TransferManager;
import io.jbits.spi.JobOptions;
import io.jbits.spi.TlsSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The HTTP options shared by {@code jbits set} and {@code jbits transfer}: proxy, custom headers, redirect policy
 * and TLS. Each group given replaces the job's settings of that group; groups not given stay as they are.
 */
final class HttpSettingsOptions {

    @Option(names = "--proxy", paramLabel = "PROXY",
            description = "preconfig (the service's http_proxy/https_proxy/no_proxy), none, or proxies "
                    + "URL[,URL...] (entries [http=|https=][http://]host[:port])")
    String proxy;

    @Option(names = "--proxy-bypass", paramLabel = "HOST[,HOST...]",
            description = "hosts reached directly with --proxy URL...: names, *.domain, <local> (names without a dot)")
    String proxyBypass;

    @Option(names = "--header", paramLabel = "'NAME: VALUE'",
            description = "an extra request header; repeat for more; replaces the job's custom headers")
    List<String> headers;

    @Option(names = "--clear-headers", description = "remove the job's custom headers")
    boolean clearHeaders;

    @Option(names = "--redirects", paramLabel = "POLICY", description = "allow (default), report (the file's URL "
            + "becomes the final one) or deny")
    String redirects;

    @Option(names = "--allow-https-to-http", description = "with --redirects: follow https to http downgrades too")
    boolean allowHttpsToHttp;

    @Option(names = "--ca-file", paramLabel = "FILE", description = "also trust the CAs of this PEM file")
    String caFile;

    @Option(names = "--client-cert", paramLabel = "FILE",
            description = "present this PEM certificate to servers that ask (with --client-key)")
    String clientCert;

    @Option(names = "--client-key", paramLabel = "FILE", description = "the PKCS#8 PEM key of --client-cert")
    String clientKey;

    @Option(names = "--ignore-cert-errors", paramLabel = "ERRORS",
            description = "accept these certificate errors: unknown-ca,expired,name (or none); never the default")
    String ignoreCertErrors;

    /** True when any option of this group was given. */
    boolean any() {
        return proxy != null || proxyBypass != null || headers != null || clearHeaders || redirects != null
                || allowHttpsToHttp || tlsGiven();
    }

    private boolean tlsGiven() {
        return caFile != null || clientCert != null || clientKey != null || ignoreCertErrors != null;
    }

    /**
     * Applies the options given to job {@code id}; returns the job as it is afterwards, or null when none was given.
     *
     * @throws IllegalArgumentException for options that do not go together
     */
    JobInfo apply(Cli cli, TransferManager jobs, String id) {
        if (clearHeaders && headers != null) {
            throw new IllegalArgumentException("--header and --clear-headers exclude each other");
        }
        if (proxyBypass != null && proxy == null) {
            throw new IllegalArgumentException("--proxy-bypass goes with --proxy URL[,URL...]");
        }
        if (allowHttpsToHttp && redirects == null) {
            throw new IllegalArgumentException("--allow-https-to-http goes with --redirects allow|report");
        }
        JobInfo j = null;
        if (proxy != null) {
            String p = proxy.trim();
            if (p.equalsIgnoreCase("preconfig") || p.equalsIgnoreCase("none")) {
                if (proxyBypass != null) {
                    throw new IllegalArgumentException("--proxy-bypass goes with a proxy list, not --proxy " + p);
                }
                j = jobs.setProxy(id, ProxyUsage.parse(p), List.of(), List.of());
            } else {
                j = jobs.setProxy(id, ProxyUsage.OVERRIDE, split(p), split(proxyBypass));
            }
        }
        if (headers != null || clearHeaders) {
            j = jobs.setHttpHeaders(id, clearHeaders ? List.of() : headers);
        }
        if (redirects != null) {
            j = jobs.setRedirects(id, Redirects.parse(redirects), allowHttpsToHttp);
        }
        if (tlsGiven()) {
            TlsSettings now = TlsSettings.from(JobOptions.of(jobs.job(id).options()));
            String ca = caFile != null ? path(cli, caFile) : now.caFile();
            String cert = clientCert != null ? path(cli, clientCert) : now.clientCert();
            String key = clientKey != null ? path(cli, clientKey) : now.clientKey();
            List<String> errors = ignoreCertErrors == null
                    ? now.ignore().stream().map(TlsSettings.CertError::label).toList()
                    : ignoreCertErrors.isBlank() || ignoreCertErrors.trim().equalsIgnoreCase("none") ? List.of()
                    : split(ignoreCertErrors);
            j = jobs.setTls(id, new TlsOptions(ca, cert, key, errors));
        }
        return j;
    }

    /** An absolute path, or null for an empty value (which removes the setting). */
    private static String path(Cli cli, String text) {
        return text.isBlank() ? null : cli.absoluteName(text);
    }

    private static List<String> split(String text) {
        if (text == null) {
            return List.of();
        }
        return new ArrayList<>(Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
}
