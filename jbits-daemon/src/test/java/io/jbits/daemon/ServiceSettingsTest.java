package io.jbits.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceSettingsTest {
    @Test
    void defaultsAreOneBackgroundJobAndEightFiles() {
        assertEquals(new ServiceSettings(1, 8), ServiceSettings.from(Map.of()));
    }

    @Test
    void theEnvironmentSetsBoth() {
        assertEquals(new ServiceSettings(3, 32), ServiceSettings.from(
                Map.of("JBITS_MAX_BACKGROUND_JOBS", "3", "JBITS_FILES_IN_PARALLEL", " 32 ")));
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ServiceSettings.from(Map.of("JBITS_FILES_IN_PARALLEL", "many")));
        assertTrue(e.getMessage().contains("JBITS_FILES_IN_PARALLEL=many"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ServiceSettings.from(Map.of("JBITS_MAX_BACKGROUND_JOBS", "0")));
    }
}
