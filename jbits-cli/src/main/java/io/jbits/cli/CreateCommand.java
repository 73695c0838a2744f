package io.jbits.cli;

import io.jbits.api.JobType;
import io.jbits.api.NewJob;
import io.jbits.api.Priority;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jbits create}: a new SUSPENDED job; prints its id and nothing else. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Creates a job (SUSPENDED until 'jbits resume') and prints its id.")
final class CreateCommand implements Callable<Integer> {
    private final Cli cli;

    @Option(names = "--priority", paramLabel = "P", converter = Priorities.class,
            description = "foreground, high, normal (default) or low")
    Priority priority = Priority.NORMAL;

    @Option(names = "--type", paramLabel = "T", converter = Priorities.Types.class,
            description = "download (default), upload or upload-reply")
    JobType type = JobType.DOWNLOAD;

    @Option(names = "--description", paramLabel = "D", description = "a description, up to 1,024 characters")
    String description = "";

    @Parameters(paramLabel = "NAME", description = "display name; need not be unique")
    String name;

    CreateCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        cli.out().println(cli.services().jobs().create(new NewJob(name, type, priority, description)).id());
        return 0;
    }
}
