package io.jbits.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.NewJob;
import io.jbits.core.Engine;
import io.jbits.core.EngineConfig;
import io.jbits.core.policy.Timetable;
import io.jbits.rest.Json;
import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.Transport;
import io.jbits.store.sqlite.SqliteJobStore;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy file as the service keeps it: written on set, read again when edited, never half-applied. */
class PolicyFileTest {
    @TempDir
    Path state;
    Engine engine;
    PolicyFile policy;
    /** Opened when the test ends: until then a download's connection hangs, so its job keeps a run. */
    final CountDownLatch released = new CountDownLatch(1);

    /** A transport whose every connection waits for {@link #released}, then fails. */
    private final class Held implements Transport {
        @Override
        public boolean handles(URI remote) {
            return "held".equals(remote.getScheme());
        }

        @Override
        public RemoteBody open(RemoteRequest request) throws InterruptedIOException {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new InterruptedIOException("the test ended");
        }
    }

    @BeforeEach
    void start() throws Exception {
        engine = Engine.start(EngineConfig.defaults(SqliteJobStore.open(state.resolve("jobs.db")),
                List.of(new Held()), "me"));
        policy = PolicyFile.start(state, engine);
    }

    @AfterEach
    void stop() {
        released.countDown();
        policy.close();
        engine.close();
    }

    @Test
    void aMissingFileIsWrittenWithItsDocumentation() throws Exception {
        String text = Files.readString(state.resolve("bandwidth.conf"));
        assertTrue(text.contains("# A value is a RATE"), text);
        assertTrue(text.contains("limit = off"), text);
        assertEquals("off", policy.show().backgroundLimit());
    }

    @Test
    void aChangeIsWrittenAndInForceAndSurvivesARestart() throws Exception {
        Json.Policy p = policy.change(new Json.PolicyChange("4M", "Mon-Fri 08:00,512k 18:00,off"));
        assertEquals("4M", p.limit());
        assertEquals("4M", p.limitNow());
        assertEquals("limit 4 MiB/s", p.limitWhy());
        assertEquals(Timetable.parse("Mon-Fri 08:00,512k 18:00,off"), engine.bandwidthPolicy().backgroundLimit());
        policy.close();
        engine.close();
        start();
        assertEquals("4M", policy.show().limit());
        assertEquals("Mon-Fri 08:00,512k 18:00,off", policy.show().backgroundLimit());
    }

    @Test
    void aBadValueIsRefusedAndChangesNothing() throws Exception {
        policy.change(new Json.PolicyChange("4M", null));
        String before = Files.readString(state.resolve("bandwidth.conf"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> policy.change(new Json.PolicyChange("1M", "08:00,512k 18:60,off")));
        assertTrue(e.getMessage().startsWith("background limit: bad TIMETABLE"), e.getMessage());
        assertEquals(before, Files.readString(state.resolve("bandwidth.conf")));
        assertEquals("4M", engine.bandwidthPolicy().limit().text());
    }

    @Test
    void anEditedFileIsReadAtTheNextLookAndABadEditIsReportedWithItsLine() throws Exception {
        Path file = state.resolve("bandwidth.conf");
        Files.writeString(file, "# by hand\nlimit = 2M\nbackground-limit = 256k\n");
        assertEquals("256k", policy.show().backgroundLimitNow(), "GET /v1/policy reads an edit made while idle");
        assertEquals("2M", engine.bandwidthPolicy().limit().text());

        Files.writeString(file, "limit = 2M\nbackground-limt = 1M\n");
        String error = policy.show().fileError();
        assertTrue(error != null && error.contains("line 2: unknown name 'background-limt'"), error);
        assertEquals("256k", engine.bandwidthPolicy().backgroundLimit().text(), "the policy in force stays");

        Files.writeString(file, "limit = off\n");
        assertNull(policy.show().fileError());
        assertEquals("off", policy.show().backgroundLimit());
    }

    @Test
    void anEditAppliesWhenAJobMayStartAndWithinASecondWhileAJobRuns() throws Exception {
        Path file = state.resolve("bandwidth.conf");
        Files.writeString(file, "limit = 2M\n");
        String id = engine.create(NewJob.download("held")).id();
        engine.addFile(id, "held://h/a", state.resolve("a.bin").toString());
        engine.resume(id);
        Awaitility.await().atMost(Duration.ofSeconds(1))
                .until(() -> engine.bandwidthPolicy().limit().text().equals("2M"));

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(engine::hasRuns);
        Files.writeString(file, "limit = 4M\n");
        Awaitility.await().atMost(Duration.ofSeconds(2))
                .until(() -> engine.bandwidthPolicy().limit().text().equals("4M"));
        assertTrue(engine.hasRuns(), "read while the job kept its run");
    }
}
