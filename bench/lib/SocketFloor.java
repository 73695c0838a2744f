import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The least a command that is a JVM and asks the jbits service one thing takes: it starts, sends one GET over the
 * service's Unix socket, and prints the answer's bytes as they came, unparsed. bench/cli-latency.sh runs it beside
 * {@code jbits info}, from a jar with an AOT cache of its own and a short-lived client's flags.
 * Usage: SocketFloor SOCKET PATH
 */
public final class SocketFloor {
    private SocketFloor() {
    }

    public static void main(String[] args) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(args[0]));
            ch.write(ByteBuffer.wrap(("GET " + args[1] + " HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(16384);
            while (ch.read(buffer) >= 0) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            System.out.write(answer.toByteArray());
            System.out.flush();
            String head = answer.toString(StandardCharsets.US_ASCII);
            if (!head.startsWith("HTTP/1.1 200")) {
                System.exit(1);
            }
        }
    }
}
