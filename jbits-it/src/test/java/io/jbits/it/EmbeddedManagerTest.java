package io.jbits.it;

import io.jbits.api.TransferManager;
import io.jbits.embedded.EmbeddedJbits;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour of {@link ManagerContract} with the engine in the test's own process. */
class EmbeddedManagerTest extends ManagerContract {
    @TempDir
    Path state;

    @Override
    TransferManager open() throws Exception {
        return EmbeddedJbits.open(state);
    }
}
