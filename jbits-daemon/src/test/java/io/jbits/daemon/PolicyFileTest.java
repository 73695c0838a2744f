package io.jbits.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.core.Engine;
import io.jbits.core.EngineConfig;
import io.jbits.core.policy.Timetable;
import io.jbits.rest.Json;
import io.jbits.store.sqlite.SqliteJobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    @BeforeEach
    void start() throws Exception {
        engine = Engine.start(EngineConfig.defaults(SqliteJobStore.open(state.resolve("jobs.db")), List.of(), "me"));
        policy = PolicyFile.start(state, engine);
    }

    @AfterEach
    void stop() {
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
    void anEditedFileAppliesWithinASecondAndABadEditIsReportedWithItsLine() throws Exception {
        Path file = state.resolve("bandwidth.conf");
        Files.writeString(file, "# by hand\nlimit = 2M\nbackground-limit = 256k\n");
        Awaitility.await().atMost(Duration.ofSeconds(1))
                .until(() -> engine.bandwidthPolicy().limit().text().equals("2M"));
        assertEquals("256k", policy.show().backgroundLimitNow());

        Files.writeString(file, "limit = 2M\nbackground-limt = 1M\n");
        Awaitility.await().atMost(Duration.ofSeconds(1)).until(() -> policy.show().fileError() != null);
        assertTrue(policy.show().fileError().contains("line 2: unknown name 'background-limt'"),
                policy.show().fileError());
        assertEquals("256k", engine.bandwidthPolicy().backgroundLimit().text(), "the policy in force stays");

        Files.writeString(file, "limit = off\n");
        Awaitility.await().atMost(Duration.ofSeconds(1)).until(() -> policy.show().fileError() == null);
        assertEquals("off", policy.show().backgroundLimit());
        assertNull(policy.show().fileError());
    }
}
