import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.NewJob;
import io.jbits.api.Priority;
import io.jbits.client.ServiceClient;
import io.jbits.rest.ServicePaths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * bench/scale.sh's driver for many foreground jobs at once: creates COUNT foreground download jobs of one file each
 * (URL_BASE f0001.bin ... into DEST/f0001.bin ...), resumes them all, then waits until every one is TRANSFERRED and
 * completes it. Fails on the first job in ERROR. Prints: seconds from first create to last complete, and the sum of
 * the jobs' error counts (transient errors they recovered from).
 *
 * Usage: java -cp <jbits-cli/target/lib/*> bench/ManyForeground.java COUNT URL_BASE DEST
 */
public class ManyForeground {
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        String base = args[1];
        String dest = args[2];
        try (ServiceClient jobs = ServiceClient.connect(ServicePaths.fromEnvironment().socket())) {
            long t0 = System.nanoTime();
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                String name = String.format("f%04d.bin", i);
                String id = jobs.create(new NewJob("fg " + name, JobType.DOWNLOAD, Priority.FOREGROUND, "")).id();
                jobs.addFile(id, base + name, dest + "/" + name);
                ids.add(id);
            }
            for (String id : ids) {
                jobs.resume(id);
            }
            Set<String> done = new HashSet<>();
            int errors = 0;
            while (done.size() < ids.size()) {
                for (String id : ids) {
                    if (done.contains(id)) {
                        continue;
                    }
                    JobInfo j = jobs.job(id);
                    if (j.state() == JobState.ERROR || j.state() == JobState.SUSPENDED) {
                        throw new IllegalStateException("job " + id + " ended " + j.state() + ": " + j.error());
                    }
                    if (j.state() == JobState.TRANSFERRED) {
                        errors += j.errorCount();
                        jobs.complete(id);
                        done.add(id);
                    }
                }
                Thread.sleep(50);
            }
            System.out.printf("%.3f %d%n", (System.nanoTime() - t0) / 1e9, errors);
        }
    }
}
