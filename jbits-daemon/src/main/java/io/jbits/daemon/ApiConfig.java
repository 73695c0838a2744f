package io.jbits.daemon;

import io.jbits.api.TransferManager;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the REST API serves and where.
 *
 * @param manager the jobs (the engine in the daemon; anything that implements the contract in tests)
 * @param socket the Unix socket to listen on; its directory should be private (0700)
 * @param owner the user the daemon runs as: the only caller allowed, and the owner of every job
 * @param home the state directory, reported by {@code GET /v1/service}
 * @param stopRequested run once {@code POST /v1/service/stop} has been answered
 */
public record ApiConfig(TransferManager manager, Path socket, String owner, Path home, Runnable stopRequested) {
    public ApiConfig {
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(stopRequested, "stopRequested");
    }
}
