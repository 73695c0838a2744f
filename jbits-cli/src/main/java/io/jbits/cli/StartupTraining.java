package io.jbits.cli;

import io.jbits.client.ServiceClient;
import io.jbits.rest.ServicePaths;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workload {@code bin/jbits} runs once per build, in the background, to make the JVM's AOT cache of the CLI
 * (docs/startup.md): the quick verbs as a user runs them, {@code transfer} included, with their output thrown away.
 * They talk to a stand-in service in this JVM ({@link TrainingService}), never to the user's: the cache holds the
 * same classes whether or not the service ran when it was made, and whether or not the user has jobs, and the
 * training neither reads nor changes the user's jobs.
 */
final class StartupTraining {
    private StartupTraining() {
    }

    public static void main(String[] args) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        try (TrainingService stand = TrainingService.start();
             LocalServices services = new LocalServices(stand.paths())) {
            train(new Cli(services, nowhere, nowhere, stand.dir(), false, false), stand);
            // What every command does first and the stand-in's paths skip: the user's paths from the environment,
            // and a client that starts the service on demand (made, never used: nothing is sent, nothing started).
            ServicePaths.fromEnvironment();
            ServiceClient.startingOnDemand(stand.paths()).close();
        } catch (IOException | RuntimeException e) {
            // No stand-in (no Unix sockets here): the cache holds what ran until then.
        }
        // No System.exit: it would load a logging backend into the cache (see Main); the threads left are daemons.
    }

    /** Runs the training's command lines against the stand-in; returns each line with its exit status. */
    static Map<String, Integer> train(Cli cli, TrainingService stand) {
        List<String> ids = stand.jobIds();
        List<List<String>> lines = new ArrayList<>(List.of(List.of("version"), List.of("list", "--json"),
                List.of("list"), List.of("list", "--all"), List.of("service", "status")));
        for (String id : ids) {
            lines.add(List.of("info", id));
            lines.add(List.of("info", "--json", id));
        }
        String id = ids.get(1);
        lines.addAll(List.of(List.of("create", "training"),
                List.of("add", id, "http://127.0.0.1:1/training/a.bin", "a.bin"),
                List.of("resume", id), List.of("suspend", id), List.of("set", id, "--priority", "high"),
                List.of("wait", ids.getFirst()), List.of("complete", ids.getFirst()),
                List.of("cancel", ids.getLast()), List.of("transfer", "http://127.0.0.1:1/training/t.bin", "t.bin"),
                // a refusal: the service's error body and the line that reports it
                List.of("info", "no-such-job"),
                List.of("transfer", "--file-set", fileSet(stand).toString())));
        Map<String, Integer> statuses = new LinkedHashMap<>();
        for (List<String> line : lines) {
            statuses.put(String.join(" ", line), Main.run(line.toArray(String[]::new), cli));
        }
        new CredentialArgs(); // the classes of transfer's options, which the quick line has not
        return statuses;
    }

    /** A file set of one file for the training's {@code transfer --file-set}, in the stand-in's directory. */
    private static Path fileSet(TrainingService stand) {
        Path set = stand.dir().resolve("training.set");
        try {
            Files.writeString(set, "# the training's file set\nhttp://127.0.0.1:1/training/s.bin s.bin\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return set;
    }
}
