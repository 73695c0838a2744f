package io.jbits.transport.smb;

import com.hierynomus.smbj.connection.Connection;
import com.hierynomus.smbj.share.File;
import io.jbits.spi.RemoteBody;
import io.jbits.spi.Validator;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;

/**
 * The bytes of one SMB file from an offset on, fetched with positional reads of at most {@code maxReadBytes} each,
 * up to the size the file had when it was opened.
 */
final class SmbBody implements RemoteBody {
    /** What to do when a read fails on the network: drop the session so that the retry opens a new one. */
    interface OnLost {
        void lost();
    }

    private final File file;
    private final SmbName name;
    private final URI uri;
    private final long offset;
    private final Validator validator;
    private final int maxReadBytes;
    private final OnLost onLost;
    private final Connection connection;
    private long position;
    private byte[] bounce;
    private volatile boolean closed;

    SmbBody(File file, SmbName name, URI uri, long offset, Validator validator, int maxReadBytes, OnLost onLost,
            Connection connection) {
        this.file = file;
        this.connection = connection;
        this.name = name;
        this.uri = uri;
        this.offset = offset;
        this.position = offset;
        this.validator = validator;
        this.maxReadBytes = maxReadBytes;
        this.onLost = onLost;
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public Validator validator() {
        return validator;
    }

    @Override
    public URI finalUri() {
        return uri;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (closed) {
            throw new IOException("read of " + name.unc() + " after it was closed");
        }
        long size = validator.size();
        if (position >= size) {
            return -1;
        }
        int want = (int) Math.min(Math.min(dst.remaining(), size - position), maxReadBytes);
        if (want == 0) {
            return 0;
        }
        int n;
        try {
            if (dst.hasArray()) {
                n = ConnectionWatch.during(connection,
                        () -> file.read(dst.array(), position, dst.arrayOffset() + dst.position(), want));
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
            } else {
                if (bounce == null || bounce.length < want) {
                    bounce = new byte[want];
                }
                n = ConnectionWatch.during(connection, () -> file.read(bounce, position, 0, want));
                if (n > 0) {
                    dst.put(bounce, 0, n);
                }
            }
        } catch (RuntimeException e) {
            if (closed) {
                throw new IOException("read of " + name.unc() + " stopped", e);
            }
            onLost.lost();
            throw SmbFailures.lost(e, name, "reading");
        }
        if (n <= 0) {
            throw new IOException(name.unc() + " ended after " + position + " of " + size
                    + " bytes: it shrank while being read");
        }
        position += n;
        return n;
    }

    /** Closes the handle without waiting for the server, so that a stop from another thread returns at once. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            file.closeNoWait();
        } catch (RuntimeException e) {
            // The connection is gone; the server drops the handle with it.
        }
    }
}
