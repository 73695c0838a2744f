package io.jbits.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jbits reply}: an upload-reply job's reply as bytes (BITS GetReplyData, at most 1 MiB). */
@Command(name = "reply", mixinStandardHelpOptions = true,
        description = "Prints the reply of an upload-reply job (at most 1 MiB; larger replies are read from the "
                + "reply file), or writes it to --output.")
final class ReplyCommand implements Callable<Integer> {
    private final Cli cli;

    @Parameters(paramLabel = "JOB", description = "job id or unique prefix")
    String job;

    @Option(names = "--output", paramLabel = "FILE", description = "write the reply here instead of stdout")
    String output;

    ReplyCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        byte[] data = cli.services().jobs().replyData(job);
        if (output != null) {
            Files.write(cli.absolute(output), data);
        } else {
            cli.out().write(data);
            cli.out().flush();
        }
        return 0;
    }
}
