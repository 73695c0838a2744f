package io.jbits.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The copy buffer of a download is sized to the bytes left, within bounds, so many small files stay small. */
class FileDownloadBufferTest {
    @Test
    void aSmallFileGetsABufferOfItsSizeAndALargeOneTheFullBuffer() {
        assertEquals(64 * 1024, FileDownload.bufferBytes(64 * 1024, 0));
        assertEquals(8 * 1024, FileDownload.bufferBytes(100, 0), "never below 8 KiB");
        assertEquals(8 * 1024, FileDownload.bufferBytes(64 * 1024, 64 * 1024 - 1), "one byte back to re-validate");
        assertEquals(256 * 1024, FileDownload.bufferBytes(1L << 40, 0));
        assertEquals(256 * 1024, FileDownload.bufferBytes(-1, 0), "size unknown: the full buffer");
        assertEquals(10_000, FileDownload.bufferBytes(1_000_000, 990_000), "a resume needs only what is left");
    }
}
