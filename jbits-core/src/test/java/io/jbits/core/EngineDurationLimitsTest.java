package io.jbits.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.BitsCodes;
import io.jbits.api.JbitsException;
import io.jbits.api.JobChanges;
import io.jbits.api.NewJob;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retry delays and timeouts out of BITS's range are refused with a clear message (found by the REST fuzzer). */
class EngineDurationLimitsTest {
    private Engine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void durationsBeyondThirtyTwoBitSecondsOrFarNegativeAreInvalidArguments() throws Exception {
        engine = Engine.start(EngineConfig.defaults(new MemoryStore(), List.of(new ScriptedTransport()), "alice"));
        String id = engine.create(NewJob.download("limits")).id();
        for (JobChanges bad : List.of(
                JobChanges.none().withMinRetryDelay(Duration.ofSeconds(Long.MIN_VALUE)),
                JobChanges.none().withMinRetryDelay(Duration.ofSeconds(0x1_0000_0000L)),
                JobChanges.none().withNoProgressTimeout(Duration.ofSeconds(Long.MAX_VALUE)))) {
            JbitsException e = assertThrows(JbitsException.class, () -> engine.change(id, bad), bad::toString);
            assertEquals(BitsCodes.E_INVALIDARG, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains(" s"), e.getMessage());
        }
        Duration max = Duration.ofSeconds(0xFFFF_FFFFL);
        assertEquals(max, engine.change(id, JobChanges.none().withMinRetryDelay(max).withNoProgressTimeout(max))
                .minRetryDelay());
    }
}
