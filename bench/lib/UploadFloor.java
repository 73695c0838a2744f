import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor under bench/upload.sh's small-file case: only the durable steps an upload server that keeps jbits serve's
 * promises must take before its three Acks, for FILES uploads of BYTES each, PARALLEL at once, on platform threads,
 * with no HTTP, no parsing and no client. It prints the seconds those steps took (the JVM's start not included).
 *
 * <p>Per upload, eight forces: Create-Session makes the session's directory and its state durable (the state file,
 * the session's directory, the sessions' directory); the Fragment that carries the whole file forces the data, makes
 * the new state durable (the state file written aside and renamed, then its directory) and publishes the file (a
 * rename into the destination, then that directory); Close-Session removes the session durably (the sessions'
 * directory). jbits serve does these and one more state save; nothing here is shared between uploads but the forces
 * of the two directories every upload touches, which the kernel may merge.
 *
 * <p>Usage: {@code java bench/lib/UploadFloor.java DIR FILES PARALLEL BYTES} (DIR is emptied by the caller).
 */
public final class UploadFloor {
    private UploadFloor() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int files = Integer.parseInt(args[1]);
        int parallel = Integer.parseInt(args[2]);
        byte[] data = new byte[Integer.parseInt(args[3])];
        new Random(1).nextBytes(data);
        Path sessions = Files.createDirectories(root.resolve("sessions"));
        Path destination = Files.createDirectories(root.resolve("destination"));
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < parallel; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < files; i = next.getAndIncrement()) {
                        upload(sessions, destination, "f" + i, data);
                    }
                } catch (IOException | RuntimeException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        long nanos = System.nanoTime() - start;
        if (!failures.isEmpty()) {
            throw new IllegalStateException("an upload failed", failures.get(0));
        }
        System.out.printf("%.3f%n", nanos / 1e9);
    }

    private static void upload(Path sessions, Path destination, String name, byte[] data) throws IOException {
        // Create-Session
        Path session = Files.createDirectory(sessions.resolve(UUID.randomUUID().toString()));
        saveState(session, "created");
        force(sessions);
        // the Fragment with the whole file, then its publication
        Path request = session.resolve("request");
        try (FileChannel channel = FileChannel.open(request, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        }
        saveState(session, "received " + data.length);
        Files.move(request, destination.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        force(destination);
        // Close-Session
        Files.delete(session.resolve("state"));
        Files.delete(session);
        force(sessions);
    }

    /** A state written aside, forced, renamed over the old one, and the rename made durable: two forces. */
    private static void saveState(Path session, String state) throws IOException {
        Path temp = session.resolve("state.tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(state.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            channel.force(false);
        }
        Files.move(temp, session.resolve("state"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        force(session);
    }

    private static void force(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
