package io.jbits.transport.http.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FragmentSizerTest {
    private static final long MS = 1_000_000L;

    @Test
    void fastFragmentsGrowTo13MiBAndNoFurther() {
        FragmentSizer sizer = new FragmentSizer();
        for (int i = 0; i < 10; i++) {
            sizer.acknowledged(sizer.sizeBytes(), 100 * MS);
        }
        assertEquals(FragmentSizer.MAX_BYTES, sizer.sizeBytes());
    }

    @Test
    void aShortLastFragmentDoesNotCountAsFast() {
        FragmentSizer sizer = new FragmentSizer();
        sizer.acknowledged(10, MS);
        assertEquals(FragmentSizer.INITIAL_BYTES, sizer.sizeBytes());
    }

    @Test
    void fragmentsOfOneToFourSecondsKeepTheirSize() {
        FragmentSizer sizer = new FragmentSizer();
        sizer.acknowledged(sizer.sizeBytes(), 2_500 * MS);
        assertEquals(FragmentSizer.INITIAL_BYTES, sizer.sizeBytes());
    }

    @Test
    void aSlowFragmentShrinksToOneSecondOfTheMeasuredRate() {
        FragmentSizer sizer = new FragmentSizer();
        sizer.acknowledged(1 << 20, 100_000 * MS); // about 10 KiB/s
        assertEquals(10_485, sizer.sizeBytes());
        sizer.acknowledged(10_485, 60_000 * MS);
        assertEquals(FragmentSizer.MIN_BYTES, sizer.sizeBytes());
    }

    @Test
    void aSlowFragmentAtLeastHalves() {
        FragmentSizer sizer = new FragmentSizer();
        sizer.acknowledged(1 << 20, 4_100 * MS);
        assertTrue(sizer.sizeBytes() <= 512 * 1024, () -> "size " + sizer.sizeBytes());
    }

    @Test
    void a413HalvesAndCapsTheSizeDownTo5KiB() {
        FragmentSizer sizer = new FragmentSizer();
        assertTrue(sizer.refusedAsTooLarge(1 << 20));
        assertEquals(512 * 1024, sizer.sizeBytes());
        sizer.acknowledged(sizer.sizeBytes(), MS);
        assertEquals(512 * 1024, sizer.sizeBytes());
        assertTrue(sizer.refusedAsTooLarge(8 * 1024));
        assertEquals(FragmentSizer.MIN_BYTES, sizer.sizeBytes());
        assertFalse(sizer.refusedAsTooLarge(FragmentSizer.MIN_BYTES));
    }

    @Test
    void fastFragmentsGrowToWhatTheServerAnnouncesUpTo64MiB() {
        FragmentSizer sizer = new FragmentSizer(FragmentSizer.INITIAL_BYTES, FragmentSizer.ceiling(64L << 20));
        for (int i = 0; i < 10; i++) {
            sizer.acknowledged(sizer.sizeBytes(), 100 * MS);
        }
        assertEquals(64L << 20, sizer.sizeBytes());
        assertEquals(FragmentSizer.LARGEST_BYTES, FragmentSizer.ceiling(1L << 40), "never beyond 64 MiB");
        assertEquals(FragmentSizer.MAX_BYTES, FragmentSizer.ceiling(-1), "13 MB without an announcement");
        assertEquals(2L << 20, FragmentSizer.ceiling(2L << 20), "a smaller announcement is kept");
    }

    @Test
    void a413BelowTheAnnouncedCeilingLowersIt() {
        FragmentSizer sizer = new FragmentSizer(FragmentSizer.INITIAL_BYTES, 64L << 20);
        assertTrue(sizer.refusedAsTooLarge(32L << 20));
        assertEquals(16L << 20, sizer.sizeBytes());
        for (int i = 0; i < 10; i++) {
            sizer.acknowledged(sizer.sizeBytes(), 100 * MS);
        }
        assertEquals(16L << 20, sizer.sizeBytes());
    }
}
