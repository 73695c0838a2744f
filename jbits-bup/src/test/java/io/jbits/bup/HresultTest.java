package io.jbits.bup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HresultTest {

    @Test
    void codesAreWrittenAsEightUpperCaseHexDigits() {
        assertEquals("0x80070057", Hresult.hex(Hresult.E_INVALIDARG));
        assertEquals("0x8020001F", Hresult.hex(Hresult.BG_E_SESSION_NOT_FOUND));
        assertEquals("0x00000001", Hresult.hex(1));
        assertEquals("0x7", Hresult.contextHex(Hresult.CONTEXT_REMOTE_APPLICATION));
    }

    @Test
    void codesAreReadWithOrWithout0xInAnyCase() {
        assertEquals(Hresult.BG_E_TOO_LARGE, Hresult.parse("0x80200020", 0));
        assertEquals(Hresult.BG_E_TOO_LARGE, Hresult.parse("80200020", 0));
        assertEquals(Hresult.BG_E_SESSION_NOT_FOUND, Hresult.parse("0X8020001f", 0));
        assertEquals(Hresult.CONTEXT_REMOTE_FILE, Hresult.parse("5", -1));
        assertEquals(-1, Hresult.parse("", -1));
        assertEquals(-1, Hresult.parse(null, -1));
        assertEquals(-1, Hresult.parse("0x", -1));
        assertEquals(-1, Hresult.parse("fail", -1));
    }

    @Test
    void aRoundTripKeepsEveryCode() {
        for (int code : new int[] {Hresult.E_INVALIDARG, Hresult.E_ACCESSDENIED, Hresult.E_FAIL,
                Hresult.BG_E_SESSION_NOT_FOUND, Hresult.BG_E_TOO_LARGE, Hresult.DISK_FULL, Hresult.ERROR_TIMEOUT,
                Hresult.ofHttpStatus(503), Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertEquals(code, Hresult.parse(Hresult.hex(code), 0));
        }
    }

    @Test
    void anHttpStatusIsBgEHttpErrorPlusTheStatus() {
        assertEquals(0x801901F7, Hresult.ofHttpStatus(503));
    }
}
