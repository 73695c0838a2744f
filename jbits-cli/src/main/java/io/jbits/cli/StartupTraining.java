package io.jbits.cli;

import io.jbits.api.JobInfo;
import io.jbits.api.JobListener;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The workload {@code bin/jbits} runs once per build, in the background, to make the JVM's AOT cache of the CLI
 * (docs/startup.md): the quick verbs as a user runs them, with their output thrown away. It only reads: it never
 * starts a service, and it talks to one only if it runs ({@code version} alone otherwise); a job is only looked at
 * ({@code info}, a moment of its event stream), never changed.
 */
final class StartupTraining {
    private StartupTraining() {
    }

    public static void main(String[] args) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        try (LocalServices services = new LocalServices(false)) {
            Cli cli = new Cli(services, nowhere, nowhere, Path.of("").toAbsolutePath(), false, false);
            Main.run(new String[] {"version"}, cli);
            if (services.status().isEmpty()) {
                return;
            }
            Main.run(new String[] {"list", "--json"}, cli);
            List<String> ids = new ArrayList<>();
            services.forEachJob(true, j -> ids.add(j.id()));
            Main.run(new String[] {"list"}, cli);
            for (String id : ids.subList(Math.max(0, ids.size() - 3), ids.size())) {
                Main.run(new String[] {"info", id}, cli);
                Main.run(new String[] {"info", "--json", id}, cli);
            }
            new TransferCommand(cli); // the classes of 'transfer', which the training cannot run
            new CredentialArgs();
            if (!ids.isEmpty()) {
                JobInfo last = services.jobs().job(ids.getLast());
                JobWaiter.ends(last.state());
                Progress.line(last, new Progress().sample(last, System.nanoTime()));
                services.jobs().addListener(ids.getLast(), Duration.ofMillis(100), JobListener.of(e -> { })).close();
            }
        } catch (IOException | RuntimeException e) {
            // A service that went away meanwhile: the cache holds what ran until then.
        }
        // No System.exit: it would load a logging backend into the cache (see Main); the threads left are daemons.
    }
}
