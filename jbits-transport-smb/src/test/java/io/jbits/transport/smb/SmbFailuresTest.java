package io.jbits.transport.smb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hierynomus.mserref.NtStatus;
import com.hierynomus.mssmb2.SMB2MessageCommandCode;
import com.hierynomus.mssmb2.SMBApiException;
import com.hierynomus.protocol.transport.TransportException;
import com.hierynomus.smbj.common.SMBRuntimeException;
import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.spi.TransferFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmbFailuresTest {
    private static final SmbName NAME = SmbName.of(URI.create("smb://srv:4445/data/dir/f.bin"));
    private static final SmbLogon ANN = new SmbLogon("ann", "CORP", io.jbits.spi.Secret.of("pw"));

    private static JobError answered(NtStatus status) {
        SMBApiException e = new SMBApiException(status.getValue(), SMB2MessageCommandCode.SMB2_CREATE, null);
        return assertThrows(TransferFailure.class, () -> SmbFailures.classify(e, NAME, ANN, "opening")).error();
    }

    @ParameterizedTest
    @CsvSource({
            "STATUS_LOGON_FAILURE,         0x8007052E, false, unknown user name or bad password",
            "STATUS_ACCESS_DENIED,         0x80070005, false, access denied opening",
            "STATUS_BAD_NETWORK_NAME,      0x80070043, false, no share 'data'",
            "STATUS_OBJECT_NAME_NOT_FOUND, 0x80070002, false, no file \\\\srv:4445\\data\\dir\\f.bin",
            "STATUS_OBJECT_PATH_NOT_FOUND, 0x80070003, false, no directory 'dir'",
            "STATUS_SHARING_VIOLATION,     0x80070005, true,  in use by another program",
            "STATUS_DISK_FULL,             0x80070070, true,  disk is full"})
    void answersTheServerGaveBecomeBitsErrors(String status, String code, boolean transientError, String says) {
        JobError e = answered(NtStatus.valueOf(status));
        assertEquals(code, e.hexCode(), e.toString());
        assertEquals(transientError, e.transientError());
        assertEquals(ErrorContext.REMOTE_FILE, e.context());
        assertTrue(e.message().contains(says), e.message());
        assertTrue(e.message().contains(status), e.message());
    }

    @Test
    void aRefusedLogonNamesTheUserButNeverThePassword() {
        JobError e = answered(NtStatus.STATUS_LOGON_FAILURE);
        assertTrue(e.message().contains("as CORP\\ann"), e.message());
        assertFalse(e.message().contains("pw"), e.message());
    }

    @Test
    void networkFailuresStayIOExceptionsWithTheirCause() throws Exception {
        IOException lost = SmbFailures.classify(new SMBRuntimeException(new TransportException(
                new IOException("Connection reset"))), NAME, ANN, "reading");
        assertTrue(lost.getMessage().contains("lost while reading"), lost.getMessage());
        assertTrue(lost.getMessage().contains("Connection reset"), lost.getMessage());

        IOException refused = SmbFailures.connectFailed(new ConnectException("Connection refused"), NAME);
        assertTrue(refused.getCause() instanceof ConnectException);
        assertTrue(refused.getMessage().contains("cannot connect to SMB server srv:4445"), refused.getMessage());

        JobError unknown = assertThrows(TransferFailure.class, () -> SmbFailures.connectFailed(
                new java.net.UnknownHostException("srv"), NAME)).error();
        assertEquals(BitsCodes.E_NAME_NOT_RESOLVED, unknown.code());
        assertTrue(unknown.transientError());
    }

    @Test
    void onlyNetworkAndSessionLossDropTheCachedSession() {
        assertTrue(SmbFailures.isConnectionGone(new SMBRuntimeException("x")));
        assertTrue(SmbFailures.isConnectionGone(new SMBApiException(
                NtStatus.STATUS_NETWORK_NAME_DELETED.getValue(), SMB2MessageCommandCode.SMB2_READ, null)));
        assertFalse(SmbFailures.isConnectionGone(new SMBApiException(
                NtStatus.STATUS_OBJECT_NAME_NOT_FOUND.getValue(), SMB2MessageCommandCode.SMB2_CREATE, null)));
    }
}
