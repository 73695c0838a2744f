package io.jbits.transport.http.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.bup.Ack;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;
import org.junit.jupiter.api.Test;

class AckTest {

    private static Ack ack(int status, String... headers) {
        BasicClassicHttpResponse response = new BasicClassicHttpResponse(status);
        for (int i = 0; i < headers.length; i += 2) {
            response.addHeader(headers[i], headers[i + 1]);
        }
        return PacketSender.ack(response);
    }

    @Test
    void theServersCodeAndContextBecomeTheError() {
        JobError error = AckErrors.error(ack(500, "BITS-Error-Code", "0x80070112", "BITS-Error-Context", "0x5"),
                "Fragment x");

        assertEquals(0x80070112, error.code());
        assertEquals(ErrorContext.REMOTE_FILE, error.context());
        assertTrue(error.transientError());
        assertEquals(500, error.httpStatus());
        assertTrue(error.message().startsWith("Fragment x: HTTP 500"), error.message());
    }

    @Test
    void withoutACodeTheStatusIsTheCode() {
        JobError error = AckErrors.error(ack(404), "Ping");

        assertEquals(BitsCodes.forHttpStatus(404), error.code());
        assertFalse(error.transientError());
    }

    @Test
    void tooLargeAndAccessDeniedAreFatalWhateverTheStatus() {
        assertFalse(AckErrors.error(ack(500, "BITS-Error-Code", "0x80200020"), "f").transientError());
        assertFalse(AckErrors.error(ack(409, "BITS-Error-Code", "0x80070005"), "f").transientError());
        assertTrue(AckErrors.error(ack(409), "f").transientError());
    }

    @Test
    void serverApplicationErrorsFollowTheApplicationTable() {
        JobError error = AckErrors.error(ack(302, "BITS-Error-Code", "0x8019012E", "BITS-Error-Context", "0x7"), "f");

        assertEquals(ErrorContext.REMOTE_APPLICATION, error.context());
        assertFalse(error.transientError());
        assertTrue(AckErrors.error(ack(308, "BITS-Error-Code", "0x80190134", "BITS-Error-Context", "7"), "f")
                .transientError());
        assertTrue(AckErrors.error(ack(408, "BITS-Error-Code", "0x800705B4", "BITS-Error-Context", "0x7"), "f")
                .transientError());
        assertFalse(AckErrors.error(ack(403, "BITS-Error-Context", "0x7"), "f").transientError());
    }

    @Test
    void theSpecsBitsErrorHeaderAndCodesWithout0xAreRead() {
        assertTrue(ack(500, "BITS-Error", "8020001F").isSessionNotFound());
        assertTrue(ack(500, "BITS-Error-Code", "0x8020001f").isSessionNotFound());
    }

    @Test
    void malformedNumbersCountAsAbsent() {
        Ack a = ack(200, "BITS-Received-Content-Range", "12-34", "BITS-Host-Id", "n1",
                "BITS-Host-Id-Fallback-Timeout", "4294967295");

        assertEquals(-1, a.receivedBytes());
        assertEquals(SessionState.NEVER, a.hostIdFallbackSeconds());
        assertEquals(SessionState.NEVER, ack(200, "BITS-Host-Id-Fallback-Timeout", "5").hostIdFallbackSeconds());
        assertEquals(5, ack(200, "BITS-Host-Id", "n", "BITS-Host-Id-Fallback-Timeout", "5").hostIdFallbackSeconds());
    }
}
