package io.jbits.server.upload;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Blocker;

/**
 * A Fragment's body as Jetty receives it, written to the request file straight from Jetty's network buffers.
 *
 * <p>Why: read through an {@code InputStream}, every byte of an upload was copied twice more in the server (from
 * Jetty's buffer into a heap array, and from that array into a temporary native buffer for the write). Here each
 * chunk Jetty read from the socket (up to its input buffer, 256 KiB) goes to {@code pwrite(2)} as it is.
 *
 * <p>Blocking, for the handler's thread; not thread-safe.
 */
final class FragmentBody {

    private final Content.Source source;
    /** A chunk read but not yet used up (its buffer's position marks what was used), or null. */
    private Content.Chunk current;

    FragmentBody(Content.Source source) {
        this.source = source;
    }

    /** Reads and drops {@code lengthBytes} of the body. */
    void skip(long lengthBytes) throws IOException {
        long left = lengthBytes;
        while (left > 0) {
            int n = take(left).remaining();
            ByteBuffer own = current.getByteBuffer();
            own.position(own.position() + n);
            left -= n;
            releaseIfUsed();
        }
    }

    /** Reads the rest of the body and drops it. */
    void discard() throws IOException {
        release();
        Content.Source.consumeAll(source);
    }

    /**
     * Writes the next {@code lengthBytes} of the body to {@code channel} from {@code position} on, telling
     * {@code written} after each write how many bytes it wrote.
     *
     * @throws EOFException when the body ends before
     * @throws WriteFailed when the file cannot be written
     */
    void writeTo(FileChannel channel, long position, long lengthBytes, Written written) throws IOException {
        long left = lengthBytes;
        long at = position;
        while (left > 0) {
            ByteBuffer bytes = take(left);
            int n = bytes.remaining();
            write(channel, bytes, at);
            ByteBuffer own = current.getByteBuffer();
            own.position(own.position() + n);
            /*
             * Released at once, so Jetty reads the next bytes into the same pooled buffer: a chunk held on (to
             * gather several into one write) made it take fresh memory for every read, and the page faults cost
             * more than the writes saved.
             */
            releaseIfUsed();
            at += n;
            left -= n;
            written.bytes(n);
        }
    }

    /** Writing the file failed (not reading the body): the server's fault, not the connection's. */
    static final class WriteFailed extends IOException {
        private static final long serialVersionUID = 1L;

        WriteFailed(IOException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /** What {@link #writeTo} tells after each write. */
    @FunctionalInterface
    interface Written {
        void bytes(long count);
    }

    /** Releases the chunk in hand; call when done with the body. */
    void release() {
        if (current != null) {
            current.release();
            current = null;
        }
    }

    private static void write(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        try {
            long at = position;
            while (bytes.hasRemaining()) {
                at += channel.write(bytes, at);
            }
        } catch (IOException e) {
            throw new WriteFailed(e);
        }
    }

    /**
     * A view of at most {@code maxBytes} of the next unused bytes, from {@link #current} (read first if there is
     * none); the caller marks them used.
     */
    private ByteBuffer take(long maxBytes) throws IOException {
        while (current == null || !current.hasRemaining()) {
            if (current != null) {
                boolean last = current.isLast();
                current.release();
                current = null;
                if (last) {
                    throw new EOFException("the fragment body ended " + maxBytes + " bytes early");
                }
            }
            current = next();
        }
        ByteBuffer view = current.getByteBuffer().slice();
        if (view.remaining() > maxBytes) {
            view.limit((int) maxBytes);
        }
        return view;
    }

    private void releaseIfUsed() {
        if (current != null && !current.hasRemaining() && !current.isLast()) {
            current.release();
            current = null;
        }
    }

    private Content.Chunk next() throws IOException {
        while (true) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                try (Blocker.Runnable blocker = Blocker.runnable()) {
                    source.demand(blocker);
                    blocker.block();
                }
                continue;
            }
            failIfFailure(chunk);
            return chunk;
        }
    }

    private static void failIfFailure(Content.Chunk chunk) throws IOException {
        if (Content.Chunk.isFailure(chunk)) {
            Throwable failure = chunk.getFailure();
            throw failure instanceof IOException io ? io : new IOException(failure);
        }
    }
}
