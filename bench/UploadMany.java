import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.NewFile;
import io.jbits.api.NewJob;
import io.jbits.api.NewUpload;
import io.jbits.api.Priority;
import io.jbits.client.ServiceClient;
import io.jbits.rest.ServicePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * bench/upload.sh's driver for many small uploads: one upload job per file (BITS allows one file per upload job),
 * created and queued in one call of the service's API (startUploads), then waited for and completed. Prints the wall time
 * in seconds from the first create to the last complete.
 *
 * Usage: java -cp <jbits-cli/target/lib/*> bench/UploadMany.java DIR BASE_URL PRIORITY
 */
public class UploadMany {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String base = args[1];
        Priority priority = Priority.parse(args[2]);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        try (ServiceClient jobs = ServiceClient.connect(ServicePaths.fromEnvironment().socket())) {
            long t0 = System.nanoTime();
            List<NewUpload> uploads = new ArrayList<>();
            for (Path f : files) {
                uploads.add(new NewUpload(new NewJob("up " + f.getFileName(), JobType.UPLOAD, priority, ""),
                        new NewFile(base + f.getFileName(), f.toString())));
            }
            List<String> ids = jobs.startUploads(uploads).stream().map(JobInfo::id).toList();
            for (String id : ids) {
                while (true) {
                    JobInfo j = jobs.job(id);
                    if (j.state() == JobState.TRANSFERRED) {
                        break;
                    }
                    if (j.state() == JobState.ERROR || j.state() == JobState.SUSPENDED) {
                        throw new IllegalStateException("job " + id + " ended " + j.state() + ": " + j.error());
                    }
                    Thread.sleep(20);
                }
                jobs.complete(id);
            }
            System.out.printf("%.3f%n", (System.nanoTime() - t0) / 1e9);
        }
    }
}
