package io.jbits.client;

import io.jbits.api.TransferManager;
import io.jbits.rest.ServicePaths;
import java.io.IOException;

/**
 * The way into the user's jbits service from an application: {@code try (TransferManager jobs = Jbits.connect())}.
 * The engine can also run inside the application, with its own state directory: see {@code EmbeddedJbits} in the
 * jbits-embedded module. Both are the same {@link TransferManager}.
 *
 * @since 0.1
 */
public final class Jbits {
    private Jbits() {
    }

    /**
     * Connects to the user's service (found as the {@code jbits} command finds it: {@code $JBITS_HOME},
     * {@code $XDG_RUNTIME_DIR}, {@code ~/.local/state/jbits}), starting it first when none answers.
     *
     * @throws IOException when no service answers and none can be started
     */
    public static ServiceClient connect() throws IOException {
        ServicePaths paths;
        try {
            paths = ServicePaths.fromEnvironment();
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        return connect(paths);
    }

    /** Connects to the service of these paths, starting it first when none answers. */
    public static ServiceClient connect(ServicePaths paths) throws IOException {
        try {
            return ServiceClient.connect(paths.socket());
        } catch (IOException notRunning) {
            return ServiceLauncher.start(paths);
        }
    }
}
