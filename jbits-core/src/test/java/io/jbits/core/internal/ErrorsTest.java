package io.jbits.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

class ErrorsTest {
    private static final String URL = "http://127.0.0.1:1/x";

    @Test
    void aRefusedConnectionWrappedByTheTransportIsAConnectFailure() {
        IOException wrapped = new IOException("GET " + URL + ": cannot connect to 127.0.0.1:1",
                new ConnectException("Connection refused"));
        JobError e = Errors.network(wrapped, URL, 0);
        assertEquals(BitsCodes.BG_E_CONNECT_FAILURE, e.code());
        assertEquals(ErrorContext.GENERAL_TRANSPORT, e.context());
        assertTrue(e.transientError());
        assertEquals(wrapped.getMessage(), e.message(), "the transport's message already names the URL");
    }

    @Test
    void timeoutsAndResetsAreTransientWithTheirOwnCodes() {
        assertEquals(BitsCodes.E_TIMEOUT, Errors.network(new SocketTimeoutException("Read timed out"), URL, 1).code());
        JobError reset = Errors.network(new IOException("Connection reset"), URL, 1);
        assertEquals(BitsCodes.BG_E_CONNECTION_CLOSED, reset.code());
        assertTrue(reset.message().contains(URL));
    }

    @Test
    void aFullDiskIsTransientAndARefusedAccessFatal() {
        JobError full = Errors.local(new FileSystemException("/d/x.part", null, "No space left on device"), "/d/x", 0);
        assertEquals(BitsCodes.E_DISK_FULL, full.code());
        assertEquals(ErrorContext.LOCAL_FILE, full.context());
        assertTrue(full.transientError());
        JobError denied = Errors.local(new AccessDeniedException("/d/x.part"), "/d/x", 0);
        assertEquals(BitsCodes.E_ACCESSDENIED, denied.code());
        assertFalse(denied.transientError());
    }
}
