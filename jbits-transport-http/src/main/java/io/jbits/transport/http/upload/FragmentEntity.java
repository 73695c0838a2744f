package io.jbits.transport.http.upload;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.BooleanSupplier;
import java.util.function.IntUnaryOperator;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

/**
 * The body of one Fragment: {@code lengthBytes} of the local file from {@code offset}, streamed with positional reads
 * through a buffer the caller reuses for every fragment, so no fragment is ever held in memory whole. Repeatable
 * (HttpClient may resend it on a fresh connection). Between buffers it asks {@code stop} and breaks the request off
 * when the engine wants the upload to stop; the server then discards the partial fragment.
 */
final class FragmentEntity extends AbstractHttpEntity {

    /** Thrown from {@link #writeTo} when the engine asked to stop in the middle of a fragment. */
    static final class Stopped extends IOException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("upload stopped on request in the middle of a fragment");
        }
    }

    private final FileChannel file;
    private final long offset;
    private final long lengthBytes;
    private final byte[] buffer;
    private final BooleanSupplier stop;
    private final IntUnaryOperator pace;
    private volatile IOException localFailure;

    /** @param pace waits until that many body bytes may go under the job's rate limits; answers how many (0: stop) */
    FragmentEntity(FileChannel file, long offset, long lengthBytes, byte[] buffer, BooleanSupplier stop,
                   IntUnaryOperator pace) {
        super((String) null, null, false);
        this.file = file;
        this.offset = offset;
        this.lengthBytes = lengthBytes;
        this.buffer = buffer;
        this.stop = stop;
        this.pace = pace;
    }

    /** The failure to read the local file, if writing the body failed because of it (not the network). */
    IOException localFailure() {
        return localFailure;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        ByteBuffer view = ByteBuffer.wrap(buffer);
        long position = offset;
        long remaining = lengthBytes;
        while (remaining > 0) {
            if (stop.getAsBoolean()) {
                throw new Stopped();
            }
            int allowed = pace.applyAsInt((int) Math.min(buffer.length, remaining));
            if (allowed <= 0) {
                throw new Stopped();
            }
            view.clear().limit(allowed);
            int n = read(view, position);
            out.write(buffer, 0, n);
            position += n;
            remaining -= n;
        }
        out.flush();
    }

    private int read(ByteBuffer view, long position) throws IOException {
        int n;
        try {
            n = file.read(view, position);
        } catch (IOException e) {
            localFailure = e;
            throw e;
        }
        if (n < 0) {
            localFailure = new EOFException("the local file ends at byte " + position + ", before byte "
                    + (offset + lengthBytes) + " of this fragment: it was truncated");
            throw localFailure;
        }
        return n;
    }

    @Override
    public InputStream getContent() {
        return new InputStream() {
            private long position = offset;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                long left = offset + lengthBytes - position;
                if (left <= 0) {
                    return -1;
                }
                int n = file.read(ByteBuffer.wrap(b, off, (int) Math.min(len, left)), position);
                if (n > 0) {
                    position += n;
                }
                return n;
            }
        };
    }

    @Override
    public long getContentLength() {
        return lengthBytes;
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public boolean isStreaming() {
        return false;
    }

    @Override
    public void close() {
        // The file channel belongs to the upload attempt, which closes it.
    }
}
