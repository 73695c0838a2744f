package io.jbits.transport.http;

import io.jbits.spi.RemoteBody;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** Test helpers for entities and bodies. */
final class Bodies {
    private Bodies() {
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Reads a body to its end the way the engine does, with a 256 KiB buffer, and closes it. */
    static byte[] readAll(RemoteBody body, boolean direct) throws IOException {
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(256 * 1024) : ByteBuffer.allocate(256 * 1024);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (body) {
            for (int reads = 0; reads < 1_000_000; reads++) {
                buffer.clear();
                int n = body.read(buffer);
                if (n < 0) {
                    return out.toByteArray();
                }
                buffer.flip();
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                out.write(chunk);
            }
        }
        throw new AssertionError("body did not end within a million reads");
    }

    static byte[] readAll(RemoteBody body) throws IOException {
        return readAll(body, false);
    }
}
