import io.jbits.api.JobEvent;
import io.jbits.api.JobListener;
import io.jbits.api.Subscription;
import io.jbits.client.ServiceClient;
import io.jbits.rest.ServicePaths;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bench/soak.sh's event listener: one {@link ServiceClient} listener on every job (the connected Java API, which
 * reconnects by itself across restarts of the service), writing each event other than progress as one
 * tab-separated line: receive time (epoch ms), kind, job id, seq, change, state, the event's own time (epoch ms),
 * and the error code in hex (or -). The receive time minus the event's time is the event lag. Ends when STOP_FILE
 * appears, or after MAX_SECONDS; then prints the number of progress events it skipped.
 *
 * Usage: java -cp <jbits-cli/target/lib/*> bench/SoakListener.java OUT_TSV STOP_FILE MAX_SECONDS
 */
public class SoakListener {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path stop = Path.of(args[1]);
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[2])).toNanos();
        Path socket = ServicePaths.fromEnvironment().socket();
        AtomicLong progress = new AtomicLong();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            ServiceClient client = connect(socket, deadline);
            JobListener listener = JobListener.of(e -> {
                if (e.isProgress()) {
                    progress.incrementAndGet();
                    return;
                }
                long now = System.currentTimeMillis();
                String code = e.error() == null ? "-" : String.format("0x%08X", e.error().code());
                synchronized (w) {
                    w.printf("%d\t%s\t%s\t%d\t%s\t%s\t%d\t%s%n", now, e.kind(), e.jobId(), e.seq(), e.change(),
                            e.state(), e.time().toEpochMilli(), code);
                    w.flush();
                }
            });
            try (Subscription ignored = client.addListener(null, Duration.ofSeconds(1), listener)) {
                while (!Files.exists(stop) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
            } finally {
                client.close();
            }
        }
        System.out.println(progress.get());
    }

    /** The service may be restarting when the listener starts: tries for at most 60 s (and within the deadline). */
    private static ServiceClient connect(Path socket, long deadline) throws Exception {
        long until = Math.min(deadline, System.nanoTime() + Duration.ofSeconds(60).toNanos());
        while (true) {
            try {
                return ServiceClient.connect(socket);
            } catch (java.io.IOException | RuntimeException e) {
                if (System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }
}
