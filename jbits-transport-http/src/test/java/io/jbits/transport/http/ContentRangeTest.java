package io.jbits.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Strict parsing of Content-Range. */
class ContentRangeTest {

    @Test
    void satisfiedRangeWithKnownTotal() {
        ContentRange r = ContentRange.parse("bytes 100-199/1000");
        assertEquals(new ContentRange(100, 199, 1000), r);
        assertEquals(100, r.length());
    }

    @Test
    void unknownTotalIsMinusOne() {
        assertEquals(-1, ContentRange.parse("bytes 0-9/*").total());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bytes", "bytes 5-4/10", "bytes 0-10/10", "bytes -1-4/10", "items 0-1/2",
        "bytes 0-1/2,3-4", "bytes 1 - 2/3x", "bytes 0-99999999999999999999/*"})
    void malformedOrImpossibleRangesAreRejected(String header) {
        assertThrows(IllegalArgumentException.class, () -> ContentRange.parse(header));
    }

    @Test
    void unsatisfiedRangeGivesTheTotal() {
        assertEquals(100, ContentRange.unsatisfiedTotal("bytes */100"));
        assertEquals(-1, ContentRange.unsatisfiedTotal("bytes 0-1/100"));
        assertEquals(-1, ContentRange.unsatisfiedTotal(null));
    }
}
