package io.jbits.server;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@code jbits serve} serves and where it listens.
 *
 * @param root the directory whose files are served; nothing outside it is reachable
 * @param bindAddress the address to listen on, {@value #DEFAULT_BIND_ADDRESS} unless the owner asks for more
 * @param port the TCP port, or 0 for a free ephemeral port (see {@link FileServer#port()})
 */
public record ServeConfig(Path root, String bindAddress, int port) {

    /** Loopback only: serving a folder to the network is an explicit choice. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

    /** The port of the quick start. */
    public static final int DEFAULT_PORT = 8080;

    public ServeConfig {
        Objects.requireNonNull(root, "root");
        bindAddress = bindAddress == null || bindAddress.isBlank() ? DEFAULT_BIND_ADDRESS : bindAddress.strip();
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
        }
    }

    /** Serves {@code root} on the default address and port. */
    public static ServeConfig of(Path root) {
        return new ServeConfig(root, DEFAULT_BIND_ADDRESS, DEFAULT_PORT);
    }

    /** The same, on another port (0 for an ephemeral one). */
    public ServeConfig withPort(int newPort) {
        return new ServeConfig(root, bindAddress, newPort);
    }

    /** The same, on another address. */
    public ServeConfig withBindAddress(String newBindAddress) {
        return new ServeConfig(root, newBindAddress, port);
    }
}
