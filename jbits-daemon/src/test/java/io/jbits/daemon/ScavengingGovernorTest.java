package io.jbits.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jbits.spi.BackgroundGovernor.Decision;
import io.jbits.spi.Ticker;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the service's scavenger probes, and what it leaves alone. */
class ScavengingGovernorTest {
    @TempDir
    Path procNet;

    @Test
    void theProbeTargetIsTheRemotesHostAndPortWithTheSchemesDefault() {
        assertEquals(Optional.of(new ScavengingGovernor.Target("example.org", 80)),
                ScavengingGovernor.Target.of(URI.create("http://Example.org/a")));
        assertEquals(Optional.of(new ScavengingGovernor.Target("example.org", 443)),
                ScavengingGovernor.Target.of(URI.create("https://example.org/a")));
        assertEquals(Optional.of(new ScavengingGovernor.Target("10.0.0.1", 8080)),
                ScavengingGovernor.Target.of(URI.create("http://10.0.0.1:8080/a")));
        assertEquals(Optional.of(new ScavengingGovernor.Target("files", 445)),
                ScavengingGovernor.Target.of(URI.create("smb://files/share/a")));
        assertEquals(Optional.empty(), ScavengingGovernor.Target.of(URI.create("file:///tmp/a")));
    }

    @Test
    void remotesOnLoopbackAreNeverHeldBack() throws Exception {
        try (ScavengingGovernor g = ScavengingGovernor.start(LedbatGovernor.Settings.defaults(),
                new LinkCounters(procNet, 0), Ticker.system())) {
            Set<URI> remotes = Set.of(URI.create("http://127.0.0.1:9/f"));
            Decision d = null;
            for (int i = 0; i < 20; i++) {   // two seconds: the probe resolves the target meanwhile
                d = g.update(System.nanoTime(), 50_000_000, 0, remotes);
                Thread.sleep(100);
            }
            assertEquals(Decision.UNLIMITED, d);
        }
    }

    @Test
    void aRemoteOnLoopbackHasNoGovernorStatusAnotherHasLedbats() {
        long[] nanos = {5_000_000_000L};
        try (ScavengingGovernor g = ScavengingGovernor.start(LedbatGovernor.Settings.defaults(),
                new LinkCounters(procNet, 0), () -> nanos[0])) {
            assertEquals(Optional.empty(), g.status(), "nothing measured yet");
            nanos[0] += 100_000_000L;
            g.update(nanos[0], 0, 0, Set.of());   // no remote: LEDBAT keeps watching the link
            assertEquals(Duration.ofMillis(60), g.status().orElseThrow().target());
            for (int i = 0; i < 5; i++) {
                nanos[0] += 100_000_000L;
                assertEquals(Decision.UNLIMITED, g.update(nanos[0], 1_000_000, 0, Set.of(URI.create(
                        "http://127.0.0.1:9/f"))));
            }
            assertEquals(Optional.empty(), g.status(), "nothing is governed on loopback");
        }
    }
}
