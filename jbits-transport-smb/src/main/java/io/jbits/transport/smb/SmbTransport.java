package io.jbits.transport.smb;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.msfscc.fileinformation.FileAllInformation;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2CreateOptions;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.mssmb2.SMBApiException;
import com.hierynomus.mserref.NtStatus;
import com.hierynomus.smbj.SmbConfig;
import com.hierynomus.smbj.connection.Connection;
import com.hierynomus.smbj.share.DiskShare;
import com.hierynomus.smbj.share.File;
import io.jbits.api.BitsCodes;
import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.spi.JobOptions;
import io.jbits.spi.OptionKey;
import io.jbits.spi.RemoteBody;
import io.jbits.spi.RemoteRequest;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.Transport;
import io.jbits.spi.UploadOutcome;
import io.jbits.spi.UploadProgress;
import io.jbits.spi.UploadRequest;
import io.jbits.spi.UploadTransport;
import io.jbits.spi.Validator;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Downloads from and uploads to SMB 2/3 shares with smbj: remote names {@code smb://host[:port]/share/path} (the
 * engine turns {@code \\host\share\path} and {@code //host/share/path} into that form when a file is added).
 *
 * <p>Downloads open the file, take its size and last-write time as the validator, and read from the requested
 * offset with positional reads. A stored validator that no longer matches (the file was replaced or rewritten)
 * answers from byte 0, so the engine restarts that file, as BITS does for a changed time stamp or size.
 *
 * <p>Uploads write into a temporary file beside the destination ({@code .NAME.jbits-<random>.part}, named in the
 * session state the engine persists), with positional writes, and rename it over the destination once every byte
 * is written: nothing appears under the final name half-written. A resumed upload carries on from the temporary
 * file's size on the server. Upload-reply jobs need a BITS upload server and are refused.
 *
 * <p>Logons use the job's {@code server} credentials (NTLM first), else anonymous, then guest. Sessions are kept per
 * (owner, server, share, credentials) and never shared beyond that ({@link SmbSessions}). Error mapping: a refused
 * logon is {@code ERROR_LOGON_FAILURE}, a missing share {@code ERROR_BAD_NET_NAME}, a missing file
 * {@code ERROR_FILE_NOT_FOUND}, all fatal; a refused, reset or lost connection is a transient network failure.
 */
public final class SmbTransport implements Transport, UploadTransport {
    /** The upload session's temporary name on the share, kept in the session state. */
    private static final OptionKey<String> TEMP = OptionKey.text("smb.temp");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SmbTransportConfig config;
    private final SmbSessions sessions;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SmbTransport(SmbTransportConfig config, SmbSessions sessions) {
        this.config = config;
        this.sessions = sessions;
    }

    /** A transport with its own sessions; {@link #close()} logs them off and closes their connections. */
    public static SmbTransport create(SmbTransportConfig config) {
        long millis = config.timeout().toMillis();
        SmbConfig smb = SmbConfig.builder()
                .withTimeout(millis, TimeUnit.MILLISECONDS)
                .withSoTimeout(millis, TimeUnit.MILLISECONDS)
                .withDfsEnabled(false)
                .build();
        return new SmbTransport(config, new SmbSessions(smb));
    }

    @Override
    public boolean handles(URI remote) {
        return "smb".equalsIgnoreCase(remote.getScheme());
    }

    @Override
    public boolean handlesUpload(URI remote) {
        return handles(remote);
    }

    @Override
    public RemoteBody open(RemoteRequest request) throws IOException, TransferFailure {
        SmbName name = name(request.remote());
        SmbLogon logon = SmbLogon.of(request.options());
        for (int attempt = 1; ; attempt++) {
            DiskShare share = sessions.share(request.owner(), name, logon);
            File file = null;
            try {
                file = share.openFile(name.path(), EnumSet.of(AccessMask.GENERIC_READ), null,
                        SMB2ShareAccess.ALL, SMB2CreateDisposition.FILE_OPEN,
                        EnumSet.of(SMB2CreateOptions.FILE_NON_DIRECTORY_FILE));
                FileAllInformation info = file.getFileInformation();
                Validator now = new Validator(null,
                        Long.toString(info.getBasicInformation().getLastWriteTime().getWindowsTimeStamp()),
                        info.getStandardInformation().getEndOfFile());
                long offset = request.offset();
                Validator known = request.known();
                if (offset > now.size() || (offset > 0 && !known.isEmpty() && !known.sameEntity(now))) {
                    offset = 0; // another version of the file: the engine restarts it from byte 0
                }
                Connection connection = share.getTreeConnect().getSession().getConnection();
                int maxRead = Math.min(config.chunkBytes(), connection.getNegotiatedProtocol().getMaxReadSize());
                return new SmbBody(file, name, request.remote(), offset, now, maxRead,
                        () -> sessions.discard(request.owner(), name, logon, share), connection);
            } catch (RuntimeException e) {
                closeQuietly(file);
                if (SmbFailures.isConnectionGone(e)) {
                    sessions.discard(request.owner(), name, logon, share);
                    if (attempt == 1) {
                        continue; // a session the server dropped while idle: one fresh try at once
                    }
                }
                throw SmbFailures.classify(e, name, logon, "opening");
            }
        }
    }

    @Override
    public UploadOutcome upload(UploadRequest request, UploadProgress progress) throws IOException, TransferFailure {
        SmbName name = name(request.remote());
        if (request.wantReply()) {
            throw new TransferFailure(new JobError(BitsCodes.E_NOTIMPL, ErrorContext.REMOTE_FILE,
                    "upload-reply jobs need a BITS upload server (http or https); " + name.unc()
                            + " is an SMB share, which has no server application to reply", null, null, false));
        }
        SmbLogon logon = SmbLogon.of(request.options());
        JobOptions state = JobOptions.parse(request.sessionState());
        String temp = state.get(TEMP);
        boolean fresh = temp == null;
        if (fresh) {
            temp = tempPathFor(name);
            state = state.with(TEMP, temp);
            progress.sessionChanged(state.toJson()); // durable before the first byte, so a crash finds the file
        }
        DiskShare share = sessions.share(request.owner(), name, logon);
        File file = null;
        try (FileChannel local = FileChannel.open(request.localFile(), StandardOpenOption.READ)) {
            file = share.openFile(temp, EnumSet.of(AccessMask.GENERIC_READ, AccessMask.GENERIC_WRITE,
                            AccessMask.DELETE), null, EnumSet.noneOf(SMB2ShareAccess.class),
                    fresh ? SMB2CreateDisposition.FILE_OVERWRITE_IF : SMB2CreateDisposition.FILE_OPEN_IF,
                    EnumSet.of(SMB2CreateOptions.FILE_NON_DIRECTORY_FILE));
            long total = request.fileSize();
            long offset = fresh ? 0 : file.getFileInformation().getStandardInformation().getEndOfFile();
            if (offset > total) {
                file.setLength(0);
                offset = 0;
            }
            progress.acknowledged(offset);
            Connection connection = share.getTreeConnect().getSession().getConnection();
            int chunk = Math.min(config.chunkBytes(), connection.getNegotiatedProtocol().getMaxWriteSize());
            ByteBuffer buffer = ByteBuffer.allocate(chunk);
            while (offset < total) {
                if (progress.stopRequested()) {
                    return new UploadOutcome(false, null, state.toJson());
                }
                buffer.clear().limit((int) Math.min(chunk, total - offset));
                readFully(local, buffer, offset, request);
                File target = file;
                long at = offset;
                long written = ConnectionWatch.during(connection,
                        () -> target.write(buffer.array(), at, 0, buffer.limit()));
                if (written != buffer.limit()) {
                    throw new IOException("the SMB server took " + written + " of " + buffer.limit()
                            + " bytes at offset " + offset + " of " + name.unc());
                }
                offset += written;
                progress.acknowledged(offset);
            }
            file.flush();
            file.rename(name.path(), true);
            return new UploadOutcome(true, null, state.toJson());
        } catch (RuntimeException e) {
            if (SmbFailures.isConnectionGone(e)) {
                sessions.discard(request.owner(), name, logon, share);
            }
            throw SmbFailures.classify(e, name, logon, "writing");
        } finally {
            closeQuietly(file);
        }
    }

    /** Nothing to end: the temporary file was renamed when the last byte was written. */
    @Override
    public void closeSession(UploadRequest request) {
    }

    /** Deletes the temporary file of an upload that was cancelled. */
    @Override
    public void cancelSession(UploadRequest request) throws IOException, TransferFailure {
        String temp = JobOptions.parse(request.sessionState()).get(TEMP);
        if (temp == null) {
            return;
        }
        SmbName name = name(request.remote());
        SmbLogon logon = SmbLogon.of(request.options());
        DiskShare share = sessions.share(request.owner(), name, logon);
        try {
            share.rm(temp);
        } catch (SMBApiException e) {
            if (e.getStatus() != NtStatus.STATUS_OBJECT_NAME_NOT_FOUND) {
                throw SmbFailures.classify(e, name, logon, "deleting the temporary file of");
            }
        } catch (RuntimeException e) {
            sessions.discard(request.owner(), name, logon, share);
            throw SmbFailures.classify(e, name, logon, "deleting the temporary file of");
        }
    }

    /** Logs every session off and closes its connection; safe to call twice (the engine closes both roles). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            sessions.close();
        }
    }

    /** How many sessions are open (tests of isolation and of reuse). */
    int openSessions() {
        return sessions.openSessions();
    }

    private static SmbName name(URI remote) throws TransferFailure {
        try {
            return SmbName.of(remote);
        } catch (IllegalArgumentException e) {
            throw new TransferFailure(new JobError(BitsCodes.E_INVALIDARG, ErrorContext.REMOTE_FILE, e.getMessage(),
                    null, null, false));
        }
    }

    private static String tempPathFor(SmbName name) {
        byte[] r = new byte[6];
        RANDOM.nextBytes(r);
        String temp = "." + name.fileName() + ".jbits-" + HexFormat.of().formatHex(r) + ".part";
        return name.directory().isEmpty() ? temp : name.directory() + "\\" + temp;
    }

    private static void readFully(FileChannel local, ByteBuffer buffer, long offset, UploadRequest request)
            throws IOException, TransferFailure {
        long at = offset;
        while (buffer.hasRemaining()) {
            int n = local.read(buffer, at);
            if (n < 0) {
                throw new TransferFailure(new JobError(BitsCodes.BG_E_LOCAL_FILE_CHANGED, ErrorContext.LOCAL_FILE,
                        request.localFile() + " ended at " + at + " of " + request.fileSize()
                                + " bytes: it changed during the upload", null, null, false));
            }
            at += n;
        }
        buffer.flip();
    }

    private static void closeQuietly(File file) {
        if (file != null) {
            try {
                file.close();
            } catch (RuntimeException e) {
                // The connection is gone; the server drops the handle with it.
            }
        }
    }
}
