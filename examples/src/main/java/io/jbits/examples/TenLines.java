package io.jbits.examples;

import io.jbits.api.JobListener;
import io.jbits.api.TransferManager;
import io.jbits.client.Jbits;
import java.nio.file.Path;

/** The README's first example: hand a download to the user's jbits service and wait until the file is there. */
public final class TenLines {
    private TenLines() {
    }

    /** {@code java io.jbits.examples.TenLines URL FILE}. */
    public static void main(String[] args) throws Exception {
        try (TransferManager jobs = Jbits.connect()) {
            var job = jobs.download("my update").file(args[0], Path.of(args[1])).start();
            jobs.addListener(job.id(), JobListener.of(e -> System.out.println(e.state() + " " + e.bytesTransferred())));
            jobs.whenCompleted(job.id()).get();
            System.out.println("saved " + args[1]);
        }
    }
}
