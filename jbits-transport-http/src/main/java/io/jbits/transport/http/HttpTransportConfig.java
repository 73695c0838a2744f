package io.jbits.transport.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one {@link HttpTransport}: timeouts, connection pool sizes, socket tuning, the service-wide CA file
 * and the environment proxies are read from.
 *
 * @param connectTimeout how long a TCP (and TLS) connect may take before the attempt fails
 * @param responseTimeout how long the transport waits for the response head or for the next body bytes (BITS and
 *     WinHTTP use 5 minutes for both)
 * @param maxConnectionsPerRoute the most pooled connections to one scheme, host and port, all owners together
 * @param maxConnectionsTotal the most pooled connections in all
 * @param receiveBufferBytes {@code SO_RCVBUF} for new connections, or 0 to keep the OS default (on Linux a fixed
 *     value turns off receive-buffer autotuning: set it only to bound a background transfer's window)
 * @param userAgent the {@code User-Agent} header sent with every request
 * @param caFile PEM certificates every job trusts besides the system's trust store, or null for none
 * @param environment the variables a job's {@code preconfig} proxy usage reads ({@code http_proxy},
 *     {@code https_proxy}, {@code no_proxy} and their upper-case forms): the service's environment by default
 */
public record HttpTransportConfig(Duration connectTimeout, Duration responseTimeout, int maxConnectionsPerRoute,
                                  int maxConnectionsTotal, int receiveBufferBytes, String userAgent, Path caFile,
                                  Map<String, String> environment) {

    public HttpTransportConfig {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        Objects.requireNonNull(userAgent, "userAgent");
        environment = Map.copyOf(environment);
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
        }
        if (responseTimeout.isNegative() || responseTimeout.isZero()) {
            throw new IllegalArgumentException("responseTimeout must be positive: " + responseTimeout);
        }
        if (maxConnectionsPerRoute < 1) {
            throw new IllegalArgumentException("maxConnectionsPerRoute must be at least 1: " + maxConnectionsPerRoute);
        }
        if (maxConnectionsTotal < maxConnectionsPerRoute) {
            throw new IllegalArgumentException("maxConnectionsTotal " + maxConnectionsTotal
                    + " is below maxConnectionsPerRoute " + maxConnectionsPerRoute);
        }
        if (receiveBufferBytes < 0) {
            throw new IllegalArgumentException("receiveBufferBytes must be 0 (OS default) or positive: "
                    + receiveBufferBytes);
        }
    }

    /** Settings without a service CA file, reading proxies from the service's environment. */
    public HttpTransportConfig(Duration connectTimeout, Duration responseTimeout, int maxConnectionsPerRoute,
                               int maxConnectionsTotal, int receiveBufferBytes, String userAgent) {
        this(connectTimeout, responseTimeout, maxConnectionsPerRoute, maxConnectionsTotal, receiveBufferBytes,
                userAgent, null, System.getenv());
    }

    /** BITS's timeouts (60 s connect, 5 min response), 16 connections per route, 256 in all, the OS buffer size. */
    public static HttpTransportConfig defaults() {
        return new HttpTransportConfig(Duration.ofSeconds(60), Duration.ofMinutes(5), 16, 256, 0, "jbits/0.1", null,
                System.getenv());
    }

    /** These settings with a service-wide extra CA file (null for none). */
    public HttpTransportConfig withCaFile(Path file) {
        return new HttpTransportConfig(connectTimeout, responseTimeout, maxConnectionsPerRoute, maxConnectionsTotal,
                receiveBufferBytes, userAgent, file, environment);
    }

    /** These settings with another environment for {@code preconfig} proxies. */
    public HttpTransportConfig withEnvironment(Map<String, String> variables) {
        return new HttpTransportConfig(connectTimeout, responseTimeout, maxConnectionsPerRoute, maxConnectionsTotal,
                receiveBufferBytes, userAgent, caFile, variables);
    }
}
