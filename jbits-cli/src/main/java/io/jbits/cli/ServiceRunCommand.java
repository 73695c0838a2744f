package io.jbits.cli;

import picocli.CommandLine.Command;

/**
 * {@code jbits service run}: the user's service in the foreground, until SIGTERM or {@code jbits service stop}
 * (both checkpoint every job first). What the systemd user unit jbits.service runs; exits as the service does.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs your service in the foreground (as systemd's jbits.service does) until SIGTERM or "
                + "'jbits service stop'; it takes the listening socket systemd hands it, if any. Its log goes "
                + "to standard output.")
final class ServiceRunCommand implements Runnable {
    @Override
    public void run() {
        io.jbits.daemon.Main.main(new String[0]); // exits with the service's status
    }
}
