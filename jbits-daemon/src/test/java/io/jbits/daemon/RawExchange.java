package io.jbits.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Raw bytes to the API's Unix socket and the raw answer back, for the tests that send what no client would. */
final class RawExchange {
    private RawExchange() {
    }

    /**
     * The raw answer to raw bytes on a new connection, read until the server closes it; the watchdog cuts the
     * connection after 10 s, so a request the server waits on cannot hang the test.
     */
    static String exchange(Path socket, byte[] request, ScheduledExecutorService watchdog) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ScheduledFuture<?> cut = watchdog.schedule(() -> {
                try {
                    ch.close();
                } catch (IOException e) {
                    // closing is all it does
                }
            }, 10, TimeUnit.SECONDS);
            try {
                ch.write(ByteBuffer.wrap(request));
                ch.shutdownOutput();
            } catch (IOException e) {
                // refused before it was all sent; the answer may still be there
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(16384);
            try {
                while (ch.read(buf.clear()) > 0) {
                    answer.write(buf.array(), 0, buf.position());
                }
            } catch (IOException e) {
                // reset or cut by the watchdog; what arrived is checked
            }
            cut.cancel(false);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
