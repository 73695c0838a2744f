package io.jbits.cli;

import io.jbits.server.AccessLog;
import io.jbits.server.FileServer;
import io.jbits.server.FileWatch;
import io.jbits.server.ServeConfig;
import io.jbits.server.TrustedProxies;
import io.jbits.server.auth.BasicAuthHandler;
import io.jbits.server.auth.UserFile;
import io.jbits.server.config.ConfiguredDirectories;
import io.jbits.server.metrics.MetricsEndpoint;
import io.jbits.server.metrics.ServeMetrics;
import io.jbits.server.tls.TlsFiles;
import io.jbits.server.upload.BitsUploadHandler;
import io.jbits.server.upload.NotifyType;
import io.jbits.server.upload.UploadConfig;
import io.jbits.server.upload.UploadEvents;
import io.jbits.server.upload.UserPath;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.eclipse.jetty.server.Handler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/** {@code jbits serve}: a static file server with Range, ETag and Last-Modified, until killed. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serves the files under DIR over HTTP or HTTPS (HEAD, Range, ETag, Last-Modified) until "
                + "killed, and receives BITS uploads ([MC-BUP]: BITS_POST) into --upload-dir. "
                + "Loopback only unless --bind says otherwise.")
final class ServeCommand implements Callable<Integer> {
    private final Cli cli;

    @Parameters(paramLabel = "DIR", description = "the directory to serve")
    String dir;

    @Option(names = "--port", paramLabel = "P", description = "TCP port (default ${DEFAULT-VALUE}; 0 picks a free one)")
    int port = ServeConfig.DEFAULT_PORT;

    @Option(names = "--bind", paramLabel = "ADDR", description = "address to listen on (default ${DEFAULT-VALUE})")
    String bind = ServeConfig.DEFAULT_BIND_ADDRESS;

    @Option(names = "--upload-dir", paramLabel = "UPLOADS",
            description = "receive BITS uploads into this directory (off when absent); {user} as a segment "
                    + "(/srv/uploads/{user}) stores each upload below its authenticated user's directory")
    String uploadDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "upload directories with their own settings, from a YAML file (instead of --upload-dir "
                    + "and its options); read again on SIGHUP or when it changes")
    String configFile;

    @Option(names = "--max-upload-size", paramLabel = "SIZE", converter = Sizes.class,
            description = "refuse uploads larger than this (512k, 4M, 1.5G; default unlimited)")
    Long maxUploadBytes;

    @Option(names = "--allow-overwrite", description = "let an upload replace an existing file")
    boolean allowOverwrite;

    @Option(names = "--session-timeout", paramLabel = "D", converter = Durations.Converter.class,
            description = "delete upload sessions idle this long (default 14d)")
    Duration sessionTimeout;

    @Option(names = "--max-sessions-per-client", paramLabel = "N",
            description = "open upload sessions one client address may hold; more get 503 (default 50)")
    Integer maxSessionsPerClient;

    @Option(names = "--allow-get", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "let plain GET and HEAD read uploaded files (default); --no-allow-get answers them 403 "
                    + "for files inside --upload-dir, as IIS for a directory without read permission")
    boolean allowGet = true;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "serve HTTPS only, with this PEM certificate chain (reloaded when it changes)")
    String tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "the PEM private key of --tls-cert")
    String tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "FILE",
            description = "accept client certificates issued by the CAs of this PEM bundle: the certificate's "
                    + "subject CN is the user, without a password; required unless --users lets others in by "
                    + "password")
    String tlsClientCa;

    @Option(names = "--users", paramLabel = "FILE",
            description = "let in only the users of this htpasswd file (bcrypt: htpasswd -B), by HTTP Basic "
                    + "authentication on every request; re-read when it changes")
    String usersFile;

    @Option(names = "--allow-basic-over-http",
            description = "accept --users passwords over plain HTTP (otherwise only over HTTPS, or from a "
                    + "--trusted-proxy that received them over HTTPS)")
    boolean allowBasicOverHttp;

    @Option(names = "--trusted-proxy", paramLabel = "CIDR[,CIDR...]",
            description = "believe X-Forwarded-For, Forwarded and X-Forwarded-Proto from these proxy addresses "
                    + "only (e.g. 127.0.0.1/32 for an nginx on this machine)")
    String trustedProxy;

    @Option(names = "--metrics", paramLabel = "ADDR:PORT",
            description = "serve Prometheus metrics at http://ADDR:PORT/metrics, a listener apart from the uploads "
                    + "(off by default)")
    String metricsAddress;

    @Option(names = "--access-log", paramLabel = "FILE",
            description = "log every request (NCSA combined, with the user and the BITS session id) to FILE, or to "
                    + "standard error with '-'")
    String accessLog;

    @Option(names = "--shutdown-timeout", paramLabel = "D", converter = Durations.Converter.class,
            description = "on SIGTERM, how long requests in flight may take to finish (default 30s)")
    Duration shutdownTimeout;

    @Option(names = "--idle-timeout", paramLabel = "D", converter = Durations.Converter.class,
            description = "close connections silent this long, in a request or between requests (default 30s)")
    Duration idleTimeout;

    @Option(names = "--notify-url", paramLabel = "URL",
            description = "post each finished upload to this server application; its answer is the reply")
    String notifyUrl;

    @Option(names = "--notify-type", paramLabel = "TYPE",
            description = "by-reference (the file's path in a header) or by-value (the file as the body)")
    String notifyType;

    @Option(names = "--host-id", paramLabel = "HOST",
            description = "ask clients to send later packets of a session to this host (BITS-Host-Id)")
    String hostId;

    @Option(names = "--host-id-fallback", paramLabel = "D", converter = Durations.Converter.class,
            description = "how long clients try --host-id before returning to this server (default 1d)")
    Duration hostIdFallback;

    ServeCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws InterruptedException {
        Path root = cli.absolute(dir);
        if (!Files.isDirectory(root)) {
            throw new CliFailure(1, "not a directory: " + root);
        }
        ServeConfig config;
        try {
            config = new ServeConfig(root, bind, port);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(2, e.getMessage());
        }
        FileServer server;
        try {
            ServeMetrics metrics = metricsAddress == null ? null : new ServeMetrics();
            UploadEvents events = metrics == null ? UploadEvents.NONE : metrics;
            FileServer.Builder builder = FileServer.builder(config);
            if (configFile != null) {
                ConfiguredDirectories directories = configuredDirectories(events);
                builder.handler(directories).handler(BitsUploadHandler.uploadsDisabled());
                if (metrics != null) {
                    metrics.watchSessions(directories::openSessions);
                }
            } else {
                Handler uploads = uploadHandler(events);
                builder.handler(uploads);
                if (metrics != null && uploads instanceof BitsUploadHandler handler) {
                    metrics.watch(handler);
                }
            }
            if (metrics != null) {
                builder.metrics(metricsEndpoint(metrics));
            }
            operations(builder);
            if (idleTimeout != null) {
                if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                    throw new CliFailure(2, "--idle-timeout must be positive");
                }
                builder.idleTimeout(idleTimeout);
            }
            secure(builder, metrics);
            server = builder.start();
        } catch (IOException e) {
            throw new CliFailure(1, "cannot serve " + root + ": " + e.getMessage());
        }
        // SIGTERM (systemd's stop): requests in flight finish, then the port is released; sessions stay on disk.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("jbits-serve-stop").unstarted(server::close));
        try (server) {
            cli.out().println(server.baseUri());
            if (server.metricsUri() != null) {
                cli.out().println(server.metricsUri());
            }
            cli.out().flush();
            server.join();
        }
        return 0;
    }

    /** The access log and the stop timeout from the options. */
    private void operations(FileServer.Builder builder) {
        if (accessLog != null) {
            builder.accessLog(accessLog.equals("-") ? AccessLog.toStandardError()
                    : AccessLog.toFile(cli.absolute(accessLog)));
        }
        if (shutdownTimeout != null) {
            if (shutdownTimeout.isNegative()) {
                throw new CliFailure(2, "--shutdown-timeout must not be negative");
            }
            builder.stopTimeout(shutdownTimeout);
        }
    }

    /** The metrics listener of {@code --metrics ADDR:PORT} ({@code [::1]:9100} for IPv6). */
    private MetricsEndpoint metricsEndpoint(ServeMetrics metrics) {
        int colon = metricsAddress.lastIndexOf(':');
        String host = colon <= 0 ? "" : metricsAddress.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int metricsPort;
        try {
            metricsPort = Integer.parseInt(metricsAddress.substring(colon + 1));
        } catch (NumberFormatException e) {
            metricsPort = -1;
        }
        if (host.isEmpty() || metricsPort < 0 || metricsPort > 65_535) {
            throw new CliFailure(2, "invalid --metrics '" + metricsAddress + "' (ADDR:PORT, e.g. 127.0.0.1:9100)");
        }
        return new MetricsEndpoint(host, metricsPort, metrics);
    }

    /** TLS, users and trusted proxies from the options. */
    private void secure(FileServer.Builder builder, ServeMetrics metrics) throws IOException {
        if (tlsCert != null || tlsKey != null) {
            if (tlsCert == null || tlsKey == null) {
                throw new CliFailure(2, "--tls-cert and --tls-key go together");
            }
            builder.tls(new TlsFiles(cli.absolute(tlsCert), cli.absolute(tlsKey)));
        }
        if (tlsClientCa != null) {
            if (tlsCert == null) {
                throw new CliFailure(2, "--tls-client-ca needs --tls-cert and --tls-key");
            }
            builder.clientCertificates(cli.absolute(tlsClientCa));
        }
        if (trustedProxy != null) {
            try {
                builder.trustedProxies(TrustedProxies.parse(trustedProxy));
            } catch (IllegalArgumentException e) {
                throw new CliFailure(2, "--trusted-proxy: " + e.getMessage());
            }
        }
        if (usersFile != null && tlsCert == null && trustedProxy == null && !allowBasicOverHttp) {
            throw new CliFailure(2, "--users over plain HTTP would refuse every request: add --tls-cert and "
                    + "--tls-key, --trusted-proxy (a proxy that takes HTTPS), or --allow-basic-over-http");
        }
        if (usersFile != null) {
            BasicAuthHandler auth = new BasicAuthHandler(UserFile.load(cli.absolute(usersFile)),
                    allowBasicOverHttp, FileWatch.DEFAULT_INTERVAL);
            if (metrics != null) {
                metrics.watch(auth);
            }
            builder.authentication(auth);
        } else if (allowBasicOverHttp) {
            throw new CliFailure(2, "--allow-basic-over-http goes with --users");
        }
    }

    /** The upload protocol's handler from the options; a server without --upload-dir refuses uploads clearly. */
    /** The directories of {@code --config}, read again on SIGHUP (as a daemon's configuration usually is). */
    private ConfiguredDirectories configuredDirectories(UploadEvents events) throws IOException {
        if (uploadDir != null || uploadOptionGiven()) {
            throw new CliFailure(2, "--config replaces --upload-dir and its options: set them in the file");
        }
        ConfiguredDirectories directories = ConfiguredDirectories.load(cli.absolute(configFile), events,
                FileWatch.DEFAULT_INTERVAL, authenticates());
        try {
            Signal.handle(new Signal("HUP"), signal -> Thread.ofVirtual().start(directories::reload));
        } catch (IllegalArgumentException e) {
            // No SIGHUP on this platform: the file is still watched for changes.
        }
        return directories;
    }

    /** True when every request comes from a known user (a password or a client certificate). */
    private boolean authenticates() {
        return usersFile != null || tlsClientCa != null;
    }

    private boolean uploadOptionGiven() {
        return maxUploadBytes != null || allowOverwrite || sessionTimeout != null || maxSessionsPerClient != null
                || notifyUrl != null || notifyType != null || hostId != null || hostIdFallback != null || !allowGet;
    }

    private Handler uploadHandler(UploadEvents events) {
        if (uploadDir == null) {
            if (uploadOptionGiven()) {
                throw new CliFailure(2, "upload options need --upload-dir");
            }
            return BitsUploadHandler.uploadsDisabled();
        }
        UserPath userPath;
        try {
            userPath = UserPath.of(uploadDir);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(2, "--upload-dir: " + e.getMessage());
        }
        if (userPath.byUser() && !authenticates()) {
            throw new CliFailure(2, "--upload-dir with " + UserPath.PLACEHOLDER + " needs users: --users or "
                    + "--tls-client-ca");
        }
        Path uploads = cli.absolute(UserPath.uploadDirOf(uploadDir));
        if (!Files.isDirectory(uploads)) {
            throw new CliFailure(1, "not a directory: " + uploads);
        }
        try {
            UploadConfig c = UploadConfig.of(uploads).withAllowOverwrite(allowOverwrite);
            if (maxUploadBytes != null) {
                c = c.withMaxUploadBytes(maxUploadBytes);
            }
            if (sessionTimeout != null) {
                c = c.withSessionTimeout(sessionTimeout);
            }
            if (maxSessionsPerClient != null) {
                c = c.withMaxSessionsPerClient(maxSessionsPerClient);
            }
            if (notifyUrl != null || notifyType != null) {
                if (notifyUrl == null) {
                    throw new CliFailure(2, "--notify-type needs --notify-url");
                }
                c = c.withNotification(new URI(notifyUrl), parseNotifyType(notifyType));
            }
            if (hostId != null || hostIdFallback != null) {
                if (hostId == null) {
                    throw new CliFailure(2, "--host-id-fallback needs --host-id");
                }
                c = c.withHostId(hostId, hostIdFallback == null ? UploadConfig.DEFAULT_HOST_ID_FALLBACK : hostIdFallback);
            }
            BitsUploadHandler handler = new BitsUploadHandler(c, events);
            handler.storeByUser(userPath);
            handler.allowGet(allowGet);
            return handler;
        } catch (URISyntaxException e) {
            throw new CliFailure(2, "invalid --notify-url '" + notifyUrl + "': " + e.getReason());
        } catch (IllegalArgumentException e) {
            throw new CliFailure(2, e.getMessage());
        }
    }

    private static NotifyType parseNotifyType(String text) {
        if (text == null) {
            return NotifyType.BY_REFERENCE;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "by-reference", "reference" -> NotifyType.BY_REFERENCE;
            case "by-value", "value" -> NotifyType.BY_VALUE;
            default -> throw new CliFailure(2, "invalid --notify-type '" + text + "' (by-reference or by-value)");
        };
    }
}
