package io.jbits.core.policy;

import io.jbits.spi.Bandwidth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RATE, TIMETABLE and policy-file text as people write them. */
class BandwidthTest {

    @ParameterizedTest
    @CsvSource({"512k,524288", "512K,524288", "4M,4194304", "1.5G,1610612736", "65536,65536", "0.5M,524288",
            "512KiB,524288", "4MB,4194304", "1m/s,1048576", "100b,-2", "1k,1024"})
    void readsRatesAsRcloneDoes(String text, long bytesPerSecond) {
        if (bytesPerSecond == -2) {
            assertThrows(IllegalArgumentException.class, () -> Bandwidth.parse(text));
            return;
        }
        assertEquals(bytesPerSecond, Bandwidth.parse(text).bytesPerSecond());
    }

    @Test
    void offMeansNoLimit() {
        assertEquals(Bandwidth.UNLIMITED, Bandwidth.parse("off"));
        assertEquals(Bandwidth.UNLIMITED, Bandwidth.parse(" OFF "));
        assertEquals("off", Bandwidth.UNLIMITED.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "fast", "12x", "-4M", "4 M M", "512", "0", "1e999G"})
    void refusesBadRatesNamingThem(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bandwidth.parse(text));
        assertTrue(e.getMessage().startsWith("bad RATE '" + text + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("512k"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"512k", "4M", "1.5G", "2000", "1.25k", "off", "3G"})
    void writesRatesThatReadBack(String text) {
        Bandwidth b = Bandwidth.parse(text);
        assertEquals(b, Bandwidth.parse(b.toString()));
        assertEquals(text, b.toString());
    }

    @Test
    void describesRatesForPeople() {
        assertEquals("512 KiB/s", Bandwidth.parse("512k").describe());
        assertEquals("1.5 GiB/s", Bandwidth.parse("1.5G").describe());
        assertEquals("no limit", Bandwidth.UNLIMITED.describe());
    }

    private static LocalDateTime at(String day, int hour, int minute) {
        // 2026-11-23 is a Monday
        int offset = java.util.List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun").indexOf(day);
        return LocalDateTime.of(2026, 11, 23 + offset, hour, minute);
    }

    @Test
    void aWorkdayTimetableHoldsFromEightToSixAndNotAtTheWeekend() {
        Timetable t = Timetable.parse("Mon-Fri 08:00,512k 18:00,off");
        assertEquals(Bandwidth.parse("512k"), t.at(at("Tue", 8, 0)).rate());
        assertEquals(Bandwidth.parse("512k"), t.at(at("Fri", 17, 59)).rate());
        assertEquals(Bandwidth.UNLIMITED, t.at(at("Fri", 18, 0)).rate());
        assertEquals(Bandwidth.UNLIMITED, t.at(at("Sat", 12, 0)).rate());
        assertEquals(Bandwidth.UNLIMITED, t.at(at("Mon", 7, 59)).rate(), "Friday 18:00 is still in force");
        assertEquals("schedule Mon-Fri 08:00-18:00", t.at(at("Wed", 9, 30)).window());
    }

    @Test
    void aTimetableWithoutDaysAppliesEveryDayAndWrapsAtMidnight() {
        Timetable t = Timetable.parse("  08:00,512k   18:00,off 23:00,4M ");
        assertEquals("08:00,512k 18:00,off 23:00,4M", t.text());
        assertEquals(Bandwidth.parse("4M"), t.at(at("Sun", 3, 0)).rate());
        assertEquals(Bandwidth.parse("4M"), t.at(at("Mon", 0, 0)).rate(), "Sunday 23:00 wraps into Monday");
        assertEquals(Bandwidth.parse("512k"), t.at(at("Sat", 10, 0)).rate());
        assertEquals("schedule 23:00-08:00", t.at(at("Mon", 1, 0)).window());
    }

    @Test
    void readsRclonesGluedDaysAndSeveralDayGroups() {
        Timetable glued = Timetable.parse("Mon-08:00,512k Fri-18:00,off");
        assertEquals(Bandwidth.parse("512k"), glued.at(at("Wed", 12, 0)).rate());
        assertEquals(Bandwidth.UNLIMITED, glued.at(at("Sun", 12, 0)).rate());
        Timetable groups = Timetable.parse("Mon-Fri 08:00,512k 18:00,4M Sat,Sun 10:00,1M");
        assertEquals(Bandwidth.parse("1M"), groups.at(at("Sun", 9, 0)).rate(), "Saturday 10:00 holds");
        assertEquals(Bandwidth.parse("4M"), groups.at(at("Sat", 9, 0)).rate(), "Friday 18:00 holds");
    }

    @Test
    void aPlainRateIsAConstantTimetable() {
        Timetable t = Timetable.parse("4M");
        assertTrue(t.isConstant());
        assertEquals(new Timetable.Slot(Bandwidth.parse("4M"), ""), t.at(at("Thu", 13, 0)));
    }

    @Test
    void theGroupPolicyWindowIsOneLimitInsideAndAnotherOutside() {
        Timetable t = Timetable.window("Mon-Fri 08:00-18:00", Bandwidth.parse("256k"), Bandwidth.parse("2M"));
        assertEquals("Mon-Fri 08:00,256k 18:00,2M", t.text());
        assertEquals(Bandwidth.parse("256k"), t.at(at("Mon", 12, 0)).rate());
        assertEquals(Bandwidth.parse("2M"), t.at(at("Sun", 12, 0)).rate());
        Timetable night = Timetable.window("22:00-06:00", Bandwidth.UNLIMITED, Bandwidth.parse("1M"));
        assertEquals(Bandwidth.UNLIMITED, night.at(at("Tue", 2, 0)).rate());
        assertEquals(Bandwidth.parse("1M"), night.at(at("Tue", 12, 0)).rate());
        assertThrows(IllegalArgumentException.class, () -> Timetable.window("08:00", Bandwidth.UNLIMITED,
                Bandwidth.UNLIMITED));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Mon-Fri 08:00,512k 25:00,off|'25:00' is not a time of day",
        "Mon-Fry 08:00,512k|'Fry' is neither a day",
        "08:00,fast 18:00,off|entry '08:00,fast': bad RATE 'fast'",
        "08:00,512k 08:00,1M|two entries for Monday 08:00",
        "Mon-Fri|bad RATE 'Mon-Fri'",
        "Mon-Fri 08:00|'08:00' is neither a day",
    })
    void refusesBadTimetablesSayingWhatIsWrong(String text, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Timetable.parse(text));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void thePolicyFileReadsBackWhatItWrites() {
        BandwidthPolicy p = BandwidthPolicy.NONE.withLimit(Timetable.parse("4M"))
                .withBackgroundLimit(Timetable.parse("Mon-Fri 08:00,512k 18:00,off"));
        assertEquals(p, BandwidthPolicy.parse(p.toFileText()));
        assertEquals(BandwidthPolicy.NONE, BandwidthPolicy.parse("# nothing\n\n"));
        assertEquals(p, BandwidthPolicy.parse("limit=4M\r\nbackground-limit = \"Mon-Fri 08:00,512k 18:00,off\"\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "limit = 4M\\nlimt = 1M|line 2: unknown name 'limt'",
        "# c\\nlimit 4M|line 2: 'limit 4M' is not 'name = value'",
        "limit = 4M\\nlimit = 1M|line 2: limit is set twice",
        "\\n\\nbackground-limit = 08:00,1M 30:00,off|line 3: background-limit: bad TIMETABLE",
    })
    void refusesABadPolicyFileNamingTheLine(String text, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BandwidthPolicy.parse(text.replace("\\n", "\n")));
        assertTrue(e.getMessage().startsWith(problem), e.getMessage());
    }
}
