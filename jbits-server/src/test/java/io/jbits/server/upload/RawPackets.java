package io.jbits.server.upload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Raw request bytes to a loopback upload server and the head of its answer, for the tests that send any bytes. */
final class RawPackets {
    private RawPackets() {
    }

    /**
     * Sends a request on a new connection, half-closes, and returns the answer's head (null: closed unanswered).
     * With {@code drain}, it also reads the rest until the server closes (10 s at most), so the server is done with
     * the request when it returns.
     */
    static String send(int port, byte[] request, boolean drain) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
                s.shutdownOutput();
            } catch (SocketException e) {
                // refused before it was all sent; the answer may still be there
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            try {
                int state = 0;
                for (int b = in.read(); b >= 0 && head.size() < 65_536; b = in.read()) {
                    head.write(b);
                    state = b == '\n' ? state + 1 : b == '\r' ? state : 0;
                    if (state == 2) {
                        break;
                    }
                }
                if (drain) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            } catch (SocketException e) {
                // reset after the answer
            } catch (SocketTimeoutException e) {
                if (!drain) {
                    throw e; // no answer head within 10 s
                }
                // the head arrived; the server keeps the connection past the answer
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            return text.startsWith("HTTP/1.1 ") && text.length() >= 12 ? text : null;
        }
    }
}
