package io.jbits.server.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jbits.bup.ContentRange;
import java.util.Locale;

/**
 * Coverage-guided fuzzing (Jazzer) of the upload server's hand-written parsers: request paths to upload targets, and
 * Content-Range with its Content-Length. In a plain test run only the seed inputs under
 * {@code src/test/resources/io/jbits/server/upload/UploadParsersJazzerTestInputs} run, as regression cases; with
 * {@code JAZZER_FUZZ=1} each target is fuzzed for its {@code maxDuration}, new findings are written beside the seeds:
 * <pre>JAZZER_FUZZ=1 JAZZER_INSTRUMENTATION_INCLUDES='io.jbits.server.upload.**:io.jbits.bup.**' \
 *     ./mvnw -B -o test -pl jbits-server -am -Dtest=UploadParsersJazzerTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * The seeded mutation fuzzer ({@code UploadProtocolFuzzTest}) covers the same parsers and the server on the wire.
 */
class UploadParsersJazzerTest {
    /** Every path gets segments that stay inside the upload directory, or a 400/403: never another exception. */
    @FuzzTest(maxDuration = "60s")
    void aPathBecomesSafeSegmentsOrIsRefused(FuzzedDataProvider data) {
        String path = data.consumeRemainingAsString();
        try {
            for (String segment : UploadTarget.segments(path)) {
                assertTrue(!segment.isEmpty() && !segment.equals(".") && !segment.equals("..")
                        && segment.chars().noneMatch(c -> c == '/' || c == '\\' || c == 0),
                        "segment '" + segment + "' of '" + path + "' could leave the upload directory");
                assertTrue(!segment.toLowerCase(Locale.ROOT).startsWith(UploadTarget.RESERVED_PREFIX),
                        "reserved segment '" + segment + "' of '" + path + "'");
            }
        } catch (UploadError e) {
            assertTrue(e.status() == 400 || e.status() == 403, e.status() + " for '" + path + "'");
        }
    }

    /** A Content-Range is accepted only as a range inside its total that covers the Content-Length; else 400. */
    @FuzzTest(maxDuration = "60s")
    void aContentRangeIsARangeInsideItsTotalOrA400(FuzzedDataProvider data) {
        long contentLength = data.consumeLong(-1, 1L << 40); // the last 6 bytes, little-endian, in the seeds
        String header = data.consumeRemainingAsString();
        try {
            ContentRange range = UploadProtocol.contentRange(header, contentLength);
            assertTrue(range.firstByte() >= 0 && range.lengthBytes() == contentLength
                    && range.totalBytes() >= range.endByte() && range.endByte() >= range.firstByte(),
                    "accepted an impossible range " + range + " from '" + header + "' with " + contentLength);
        } catch (UploadError e) {
            assertEquals(400, e.status(), e.getMessage());
        }
    }
}
