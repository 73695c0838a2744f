import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.Priority;
import io.jbits.spi.FileRow;
import io.jbits.spi.JobRow;
import io.jbits.spi.JobStore;
import io.jbits.rest.ServicePaths;
import io.jbits.store.sqlite.SqliteJobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * bench/scale.sh's queue filler: writes COUNT suspended download jobs of one file each straight into the state
 * database of $JBITS_HOME (the service must be stopped), in batches of 10,000 rows, as the running service would
 * have stored them. Prints the seconds it took.
 *
 * Usage: java -cp <jbits-cli/target/lib/*> bench/FillQueue.java COUNT URL_BASE DEST_DIR
 */
public class FillQueue {
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        String base = args[1];
        String dest = args[2];
        String owner = System.getProperty("user.name");
        Instant t = Instant.now().minusSeconds(count);
        long t0 = System.nanoTime();
        try (SqliteJobStore store = SqliteJobStore.open(ServicePaths.fromEnvironment().database())) {
            for (int done = 0; done < count; ) {
                List<JobRow> jobs = new ArrayList<>();
                List<FileRow> files = new ArrayList<>();
                for (int i = 0; i < 10_000 && done < count; i++, done++) {
                    String id = UUID.randomUUID().toString();
                    Instant created = t.plusMillis(done);
                    jobs.add(new JobRow(id, "queued " + done, "", JobType.DOWNLOAD, Priority.NORMAL, owner,
                            JobState.SUSPENDED, created, created, null, Duration.ofMinutes(10), Duration.ofDays(14),
                            0, null, "{}"));
                    String local = dest + "/q" + done + ".bin";
                    files.add(new FileRow(id, 0, base + "q" + done + ".bin", local,
                            local + ".jbits-" + id.substring(0, 8) + ".part", -1, 0, false, null, null, "{}"));
                }
                store.write(new JobStore.Batch(jobs, files, List.of()));
            }
        }
        System.out.printf("%.3f%n", (System.nanoTime() - t0) / 1e9);
    }
}
