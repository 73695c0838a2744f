package io.jbits.server.upload;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link BitsUploadHandler} accepts and where it puts it: the settings of an IIS BITS virtual directory
 * ({@code BITSMaximumUploadSize}, {@code BITSAllowOverwrites}, {@code BITSSessionTimeout},
 * {@code BITSNumberOfSessionsLimit}, {@code BITSServerNotificationURL}/{@code Type}, {@code BITSHostId} and
 * {@code BITSHostIdFallbackTimeout}; docs/bits.md §8.8).
 *
 * <pre>{@code
 * UploadConfig config = UploadConfig.of(Path.of("/srv/uploads"))
 *         .withMaxUploadBytes(10L << 30)
 *         .withNotification(URI.create("http://127.0.0.1:9000/bits"), NotifyType.BY_VALUE);
 * }</pre>
 *
 * @param uploadDir the directory that request paths map into; it must exist (as an IIS virtual directory must)
 * @param maxUploadBytes the largest upload accepted, {@link #UNLIMITED_UPLOAD_BYTES} for no limit; larger uploads
 *     get {@code BG_E_TOO_LARGE}
 * @param allowOverwrite whether an upload may replace an existing file; without it an existing destination gets 409
 * @param sessionTimeout how long a session may stay without a successful packet before it and its data are deleted
 * @param maxSessionsPerClient how many open sessions one client address may hold; further Create-Session packets
 *     are refused with 503
 * @param notifyUrl the server application told about each finished upload; relative URLs resolve against the
 *     handler's base URL; null with {@link NotifyType#NONE}
 * @param notifyType how the application is told; {@link NotifyType#NONE} stores the file at its URL's place
 * @param hostId the host name or address later packets must go to ({@code BITS-Host-Id}, web farms), or null
 * @param hostIdFallback how long a client that cannot reach {@code hostId} keeps trying before it returns to the
 *     original host, or null for never
 * @param sessionDir where session state and partial uploads live; on the file system of {@code uploadDir} (the
 *     finished file is renamed from there); never served
 */
public record UploadConfig(
        Path uploadDir,
        long maxUploadBytes,
        boolean allowOverwrite,
        Duration sessionTimeout,
        int maxSessionsPerClient,
        URI notifyUrl,
        NotifyType notifyType,
        String hostId,
        Duration hostIdFallback,
        Path sessionDir) {

    /** No upload size limit. */
    public static final long UNLIMITED_UPLOAD_BYTES = Long.MAX_VALUE;

    /** IIS's {@code BITSSessionTimeout}: 14 days. */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofDays(14);

    /** IIS's {@code BITSNumberOfSessionsLimit}. */
    public static final int DEFAULT_MAX_SESSIONS_PER_CLIENT = 50;

    /** IIS's {@code BITSHostIdFallbackTimeout}: one day. */
    public static final Duration DEFAULT_HOST_ID_FALLBACK = Duration.ofDays(1);

    /** The name of the default session directory inside the upload directory. */
    public static final String DEFAULT_SESSION_DIR_NAME = ".jbits-sessions";

    /** IIS limits {@code BITSHostId} to 300 characters. */
    static final int MAX_HOST_ID_CHARS = 300;

    /** IIS limits {@code BITSServerNotificationURL} to 2,200 characters. */
    static final int MAX_URL_CHARS = 2_200;

    public UploadConfig {
        Objects.requireNonNull(uploadDir, "uploadDir");
        uploadDir = uploadDir.toAbsolutePath().normalize();
        if (maxUploadBytes <= 0) {
            throw new IllegalArgumentException("maxUploadBytes " + maxUploadBytes + " is not positive (use "
                    + "UNLIMITED_UPLOAD_BYTES for no limit)");
        }
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        if (sessionTimeout.isNegative() || sessionTimeout.isZero()) {
            throw new IllegalArgumentException("sessionTimeout " + sessionTimeout + " is not positive");
        }
        if (maxSessionsPerClient < 1) {
            throw new IllegalArgumentException("maxSessionsPerClient " + maxSessionsPerClient + " is below 1");
        }
        notifyType = notifyType == null ? NotifyType.NONE : notifyType;
        if (notifyType != NotifyType.NONE && notifyUrl == null) {
            throw new IllegalArgumentException("notifyType " + notifyType + " needs a notifyUrl");
        }
        if (notifyUrl != null && notifyUrl.toString().length() > MAX_URL_CHARS) {
            throw new IllegalArgumentException("notifyUrl of " + notifyUrl.toString().length()
                    + " characters is longer than " + MAX_URL_CHARS);
        }
        if (notifyUrl != null && notifyUrl.isAbsolute() && !notifyUrl.getScheme().matches("(?i)https?")) {
            throw new IllegalArgumentException("notifyUrl " + notifyUrl + " is not http or https");
        }
        if (hostId != null) {
            hostId = hostId.strip();
            if (hostId.isEmpty() || hostId.length() > MAX_HOST_ID_CHARS || !hostId.matches("[A-Za-z0-9.:\\[\\]_-]+")) {
                throw new IllegalArgumentException("hostId '" + hostId + "' is not a host name or address of at most "
                        + MAX_HOST_ID_CHARS + " characters");
            }
        }
        if (hostIdFallback != null && (hostIdFallback.isNegative() || hostIdFallback.toSeconds() > 0xFFFF_FFFEL)) {
            throw new IllegalArgumentException("hostIdFallback " + hostIdFallback + " is out of range");
        }
        sessionDir = sessionDir == null
                ? uploadDir.resolve(DEFAULT_SESSION_DIR_NAME)
                : sessionDir.toAbsolutePath().normalize();
        if (sessionDir.equals(uploadDir)) {
            throw new IllegalArgumentException("sessionDir " + sessionDir + " must not be the upload directory itself");
        }
    }

    /** Uploads into {@code uploadDir} with the IIS defaults: no size limit, no overwrites, no notification. */
    public static UploadConfig of(Path uploadDir) {
        return new UploadConfig(uploadDir, UNLIMITED_UPLOAD_BYTES, false, DEFAULT_SESSION_TIMEOUT,
                DEFAULT_MAX_SESSIONS_PER_CLIENT, null, NotifyType.NONE, null, DEFAULT_HOST_ID_FALLBACK, null);
    }

    /** The same with another size limit. */
    public UploadConfig withMaxUploadBytes(long newMaxUploadBytes) {
        return new UploadConfig(uploadDir, newMaxUploadBytes, allowOverwrite, sessionTimeout, maxSessionsPerClient,
                notifyUrl, notifyType, hostId, hostIdFallback, sessionDir);
    }

    /** The same, replacing existing files or not. */
    public UploadConfig withAllowOverwrite(boolean newAllowOverwrite) {
        return new UploadConfig(uploadDir, maxUploadBytes, newAllowOverwrite, sessionTimeout, maxSessionsPerClient,
                notifyUrl, notifyType, hostId, hostIdFallback, sessionDir);
    }

    /** The same with another idle-session lifetime. */
    public UploadConfig withSessionTimeout(Duration newSessionTimeout) {
        return new UploadConfig(uploadDir, maxUploadBytes, allowOverwrite, newSessionTimeout, maxSessionsPerClient,
                notifyUrl, notifyType, hostId, hostIdFallback, sessionDir);
    }

    /** The same with another limit of open sessions per client address. */
    public UploadConfig withMaxSessionsPerClient(int newMaxSessionsPerClient) {
        return new UploadConfig(uploadDir, maxUploadBytes, allowOverwrite, sessionTimeout, newMaxSessionsPerClient,
                notifyUrl, notifyType, hostId, hostIdFallback, sessionDir);
    }

    /** The same, notifying the application at {@code newNotifyUrl} ({@link NotifyType#NONE} and null for none). */
    public UploadConfig withNotification(URI newNotifyUrl, NotifyType newNotifyType) {
        return new UploadConfig(uploadDir, maxUploadBytes, allowOverwrite, sessionTimeout, maxSessionsPerClient,
                newNotifyUrl, newNotifyType, hostId, hostIdFallback, sessionDir);
    }

    /** The same, pinning clients to {@code newHostId} (null for none) with the given fallback (null for never). */
    public UploadConfig withHostId(String newHostId, Duration newHostIdFallback) {
        return new UploadConfig(uploadDir, maxUploadBytes, allowOverwrite, sessionTimeout, maxSessionsPerClient,
                notifyUrl, notifyType, newHostId, newHostIdFallback, sessionDir);
    }

    /** The same with session state in {@code newSessionDir} (null for the default inside the upload directory). */
    public UploadConfig withSessionDir(Path newSessionDir) {
        return new UploadConfig(uploadDir, maxUploadBytes, allowOverwrite, sessionTimeout, maxSessionsPerClient,
                notifyUrl, notifyType, hostId, hostIdFallback, newSessionDir);
    }
}
