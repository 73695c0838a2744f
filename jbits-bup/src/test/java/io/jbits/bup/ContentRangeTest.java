package io.jbits.bup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentRangeTest {

    @Test
    void aFragmentIsFirstToLastInclusiveOfTheTotal() {
        ContentRange range = ContentRange.parse("bytes 10-19/25");

        assertEquals(new ContentRange(10, 10, 25), range);
        assertEquals(20, range.endByte());
        assertEquals("bytes 10-19/25", range.headerValue());
    }

    @Test
    void formattingAndParsingAreARoundTrip() {
        for (ContentRange range : new ContentRange[] {new ContentRange(0, 1, 1), new ContentRange(0, 5, 10),
                new ContentRange(5, 5, 10), new ContentRange(Long.MAX_VALUE - 2, 2, Long.MAX_VALUE),
                ContentRange.emptyFile()}) {
            assertEquals(range, ContentRange.parse(range.headerValue()), range.headerValue());
            assertEquals(range, ContentRange.parse(range.headerValue(), range.lengthBytes()), range.headerValue());
        }
    }

    @Test
    void theEmptyFileIsStarSlashZero() {
        assertEquals("bytes */0", ContentRange.emptyFile().headerValue());
        assertEquals(ContentRange.emptyFile(), ContentRange.parse("bytes */0", 0));
        assertEquals(ContentRange.emptyFile(), ContentRange.parse("Bytes * / 000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"BYTES 0-9/10", "bytes=0-9/10", "  bytes  0 - 9 / 10  ", "bytes\t0-9/10"})
    void theServerReadsTheSpellingsClientsUse(String header) {
        assertEquals(new ContentRange(0, 10, 10), ContentRange.parse(header, 10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bytes 0-9", "bytes 9-0/10", "bytes 0-9/5", "bytes 0-9/9", "items 0-9/10",
            "bytes 0-9/*", "bytes -9/10", "0-9/10", "bytes 0-9/10, bytes 0-9/10", "bytes */5", "bytes */*",
            "bytes 0-9/99999999999999999999", "bytes 0-9/9999999999999999999", "bytes +0-9/10", "bytes 0x0-9/10"})
    void badRangesAreRefused(String header) {
        assertThrows(IllegalArgumentException.class, () -> ContentRange.parse(header));
    }

    @Test
    void aMissingHeaderIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ContentRange.parse(null));
        assertEquals("a Fragment needs a Content-Range", e.getMessage());
    }

    @Test
    void theRangeMustCoverExactlyTheBody() {
        assertEquals(new ContentRange(0, 10, 20), ContentRange.parse("bytes 0-9/20", 10));
        assertThrows(IllegalArgumentException.class, () -> ContentRange.parse("bytes 0-9/20", 9));
        assertThrows(IllegalArgumentException.class, () -> ContentRange.parse("bytes 0-9/20", 11));
        assertThrows(IllegalArgumentException.class, () -> ContentRange.parse("bytes */0", 1));
    }

    @Test
    void impossibleRangesCannotBeMade() {
        assertThrows(IllegalArgumentException.class, () -> new ContentRange(-1, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> new ContentRange(0, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> new ContentRange(5, 6, 10));
        assertThrows(IllegalArgumentException.class, () -> new ContentRange(0, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new ContentRange(Long.MAX_VALUE, Long.MAX_VALUE, 10));
    }
}
