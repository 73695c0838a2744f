package io.jbits.cli;

import io.jbits.rest.ServiceStatus;
import io.jbits.store.sqlite.StoreRecovery;
import java.io.IOException;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code jbits service start|stop|status|recover|run}. */
@Command(name = "service", mixinStandardHelpOptions = true, subcommands = ServiceUninstallCommand.class,
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
        // Not a picocli exception named here: verifying this class (which quick lines run) would load picocli's.
        throw PicocliLine.usage(spec, "say start, stop, status, recover, run or uninstall");
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
        String nl = System.lineSeparator(); // no printf: a Formatter is classes a quick command does without
        cli.out().print("pid:      " + s.pid() + nl + "owner:    " + s.owner() + nl + "home:     " + s.home() + nl
                + "jobs:     " + s.jobs() + nl + "version:  " + s.version() + nl);
        return 0;
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Runs the service in the foreground, logging to stdout (for systemd: it takes the socket "
                    + "of jbits.socket); exits 0 after 'jbits service stop' or SIGTERM.")
    void runInForeground() {
        io.jbits.daemon.Main.main(new String[0]);
    }

    @Command(name = "recover", mixinStandardHelpOptions = true,
            description = "When the service refuses its damaged state database: moves it aside (keeping it, "
                    + "renamed jobs.db.broken-<time>) and starts a new one with every job that can still be read.")
    int recover() throws IOException {
        Optional<ServiceStatus> running = cli.services().status();
        if (running.isPresent()) {
            throw new CliFailure(Main.EXIT_REFUSED, "the jbits service runs (pid " + running.get().pid()
                    + "), so its database opened: nothing to recover");
        }
        StoreRecovery r = cli.services().recover();
        if (!r.movedAside()) {
            cli.out().println("nothing to recover: " + r.finding());
            return 0;
        }
        cli.out().println("moved the damaged state database aside, kept as " + r.keptAs());
        cli.out().println("what was wrong: " + r.finding());
        cli.out().printf("salvaged %d jobs with %d files; %d unreadable rows dropped%n", r.jobsSalvaged(),
                r.filesSalvaged(), r.rowsLost());
        cli.out().println("the service starts with them at the next command");
        return 0;
    }
}
