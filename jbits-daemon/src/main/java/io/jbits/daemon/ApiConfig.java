package io.jbits.daemon;

import io.jbits.api.TransferManager;
import io.jbits.rest.Json;
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
 * @param policies the bandwidth policy behind {@code /v1/policy}, or null when this API serves none
 * @param administrators whether uid 0 may call what {@link AdminAccess} allows (the service: yes)
 */
record ApiConfig(TransferManager manager, Path socket, String owner, Path home, Runnable stopRequested,
                        Policies policies, boolean administrators) {
    public ApiConfig {
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(stopRequested, "stopRequested");
    }

    /** An API without a bandwidth policy, for its owner only. */
    public ApiConfig(TransferManager manager, Path socket, String owner, Path home, Runnable stopRequested) {
        this(manager, socket, owner, home, stopRequested, null, false);
    }

    /** An API for its owner only. */
    public ApiConfig(TransferManager manager, Path socket, String owner, Path home, Runnable stopRequested,
                     Policies policies) {
        this(manager, socket, owner, home, stopRequested, policies, false);
    }

    /** The bandwidth policy as the REST API sees it. */
    public interface Policies {
        /** The policy and the limits in force now. */
        Json.Policy show();

        /**
         * Changes the policy durably and puts it in force.
         *
         * @throws IllegalArgumentException naming the bad value; nothing changes then
         */
        Json.Policy change(Json.PolicyChange change);
    }
}
