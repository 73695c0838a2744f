package io.jbits.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jbits.api.JbitsException;
import io.jbits.api.JobInfo;
import io.jbits.api.NewJob;
import io.jbits.core.Engine;
import io.jbits.spi.TransportSettings;
import io.jbits.store.sqlite.SqliteJobStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An engine put together by the wiring has every transport of the class path, and a failed start leaves nothing. */
class EngineWiringTest {
    @TempDir
    Path dir;

    @Test
    void anEngineFromTheWiringTakesHttpHttpsAndSmbNamesAndRefusesOthers() throws Exception {
        try (Engine engine = EngineWiring.start("alice", () -> SqliteJobStore.open(dir.resolve("jobs.db")),
                TransportSettings.defaults(), UnaryOperator.identity())) {
            JobInfo job = engine.create(NewJob.download("wired"));
            engine.addFile(job.id(), "http://127.0.0.1:1/a", dir.resolve("a").toString());
            engine.addFile(job.id(), "https://127.0.0.1:1/b", dir.resolve("b").toString());
            engine.addFile(job.id(), "smb://127.0.0.1/share/c", dir.resolve("c").toString());
            assertEquals(3, engine.job(job.id()).files().size());
            JbitsException refused = assertThrows(JbitsException.class,
                    () -> engine.addFile(job.id(), "gopher://127.0.0.1/d", dir.resolve("d").toString()));
            assertEquals(0x80070057, refused.code(), refused.getMessage()); // E_INVALIDARG
        }
    }

    @Test
    void aStoreThatCannotOpenFailsTheStartWithItsOwnError() {
        IOException e = assertThrows(IOException.class, () -> EngineWiring.start("alice",
                () -> {
                    throw new IOException("no database here");
                }, TransportSettings.defaults(), UnaryOperator.identity()));
        assertEquals("no database here", e.getMessage());
    }

    @Test
    void everyTransportFactoryOnTheClassPathIsFoundOnce() {
        var sets = EngineWiring.openAll(TransportSettings.defaults());
        try {
            assertEquals(2, sets.size(), "the HTTP and SMB factories");
        } finally {
            sets.forEach(io.jbits.spi.TransportSet::closeAll);
        }
    }
}
