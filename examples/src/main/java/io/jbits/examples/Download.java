package io.jbits.examples;

import io.jbits.api.JobEvent;
import io.jbits.api.JobInfo;
import io.jbits.api.JobListener;
import io.jbits.api.TransferManager;
import io.jbits.client.Jbits;
import io.jbits.embedded.EmbeddedJbits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * A sample application: downloads one URL to a file with jbits, printing progress, and picks its job up again when
 * it is run again after being stopped (Ctrl-C, SIGTERM, or even SIGKILL) halfway.
 *
 * <pre>
 * java io.jbits.examples.Download URL FILE                   # through the user's jbits service
 * java io.jbits.examples.Download --embedded DIR URL FILE    # with the engine in this process, state in DIR
 * </pre>
 *
 * <p>The job is named after the file, so a second run finds it ({@link TransferManager#jobsNamed}) instead of
 * starting over; the transfer continues from the bytes already there. It prints {@code started JOB} or
 * {@code re-attached JOB at N bytes}, a progress line at most twice a second, and {@code done FILE} once the file
 * is complete under its final name.
 */
public final class Download {
    private Download() {
    }

    /** Runs the sample; exit status 0 when the file is complete, 1 when the job failed, 2 for bad arguments. */
    public static void main(String[] args) throws Exception {
        boolean embedded = args.length == 4 && args[0].equals("--embedded");
        if (args.length != 2 && !embedded) {
            System.err.println("usage: Download [--embedded STATE_DIR] URL FILE");
            System.exit(2);
        }
        String url = args[embedded ? 2 : 0];
        Path file = Path.of(args[embedded ? 3 : 1]).toAbsolutePath();
        TransferManager jobs = embedded ? EmbeddedJbits.open(Path.of(args[1])) : Jbits.connect();
        // Ctrl-C or SIGTERM: an embedded engine checkpoints every byte it has, so the next run loses none.
        Runtime.getRuntime().addShutdownHook(new Thread(jobs::close, "close-jbits"));
        System.exit(run(jobs, url, file));
    }

    static int run(TransferManager jobs, String url, Path file) throws Exception {
        String name = "example download " + file;
        JobInfo job = jobs.jobsNamed(name).stream().filter(j -> !j.state().isFinal()).findFirst().orElse(null);
        if (job == null) {
            job = jobs.download(name).file(url, file).start();
            System.out.println("started " + job.id());
        } else {
            System.out.println("re-attached " + job.id() + " at " + job.bytesTransferred() + " bytes");
            if (!job.state().isActive() && job.state() != io.jbits.api.JobState.TRANSFERRED) {
                jobs.resume(job.id());
            }
        }
        jobs.addListener(job.id(), Duration.ofMillis(500), new JobListener() {
            @Override
            public void jobModified(JobEvent e) {
                if (e.isProgress()) {
                    System.out.printf(Locale.ROOT, "progress %d / %d bytes (%d B/s)%n", e.bytesTransferred(),
                            e.bytesTotal(), e.bytesPerSecond());
                }
            }
        });
        try {
            JobInfo done = jobs.whenCompleted(job.id()).get();
            System.out.println("done " + done.files().getFirst().localPath());
            return 0;
        } catch (java.util.concurrent.ExecutionException e) {
            System.out.println("failed: " + e.getCause().getMessage());
            return 1;
        }
    }
}
