package io.jbits.cli;

import io.jbits.client.ServiceStatus;
import java.io.IOException;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code jbits service start|stop|status}. */
@Command(name = "service", mixinStandardHelpOptions = true,
        description = "Starts, stops or shows your jbits service (other verbs start it when needed).")
final class ServiceCommand implements Runnable {
    private final Cli cli;
    @Spec
    CommandSpec spec;

    ServiceCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say start, stop or status");
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Starts the service unless it runs.")
    int start() throws IOException {
        Optional<ServiceStatus> running = cli.services().status();
        if (running.isPresent()) {
            cli.out().println("jbits service already running (pid " + running.get().pid() + ")");
            return 0;
        }
        cli.out().println("jbits service started (pid " + cli.services().start().pid() + ")");
        return 0;
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Checkpoints every job and stops the service; jobs carry on at its next start.")
    int stop() throws IOException {
        cli.out().println(cli.services().stop() ? "jbits service stopped" : "jbits service is not running");
        return 0;
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Shows the running service (exit 3 when it is not running).")
    int status() throws IOException {
        ServiceStatus s = cli.services().status()
                .orElseThrow(() -> new CliFailure(3, "jbits service is not running"));
        cli.out().printf("pid:      %d%nowner:    %s%nhome:     %s%njobs:     %d%nversion:  %s%n", s.pid(),
                s.owner(), s.home(), s.jobs(), s.version());
        return 0;
    }
}
