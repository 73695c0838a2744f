package io.jbits.cli;

import io.jbits.rest.ServicePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code jbits doctor}: checks the installation and the user's set-up, one line per check. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Checks the installation (every file against the digest manifest of the build, the Java "
                + "runtime, the systemd units) and your set-up (state directory and database, the service on "
                + "your socket, the start-up archive cache), one line per check. Exit 0 only when every check "
                + "passes (or does not apply here), 1 otherwise.")
final class DoctorCommand implements Callable<Integer> {
    private final Cli cli;

    DoctorCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        String home = System.getProperty("jbits.home");
        InstallationChecks installation = new InstallationChecks(home == null ? null : Path.of(home),
                Path.of(System.getProperty("java.home")), Files.isDirectory(Path.of("/run/systemd/system")),
                Path.of("/"), Path.of(System.getProperty("user.home")));
        UserChecks user;
        try {
            user = new UserChecks(ServicePaths.fromEnvironment(), ServicePaths.cacheDirectory(),
                    System.getProperty("user.name"));
        } catch (IllegalArgumentException e) {
            throw new CliFailure(Main.EXIT_REFUSED, e.getMessage());
        }
        return report(cli, List.of(installation::files, installation::runtime, user::state,
                () -> user.service(cli.services()), installation::systemd, user::cache));
    }

    /** Runs the checks in order, prints each as it finishes and a summary; 0 when none failed. */
    static int report(Cli cli, List<java.util.function.Supplier<DoctorCheck>> checks) {
        int failed = 0;
        for (var check : checks) {
            DoctorCheck c = check.get();
            cli.out().println(c.line());
            failed += c.fine() ? 0 : 1;
        }
        cli.out().println(failed == 0 ? "jbits doctor: all " + checks.size() + " checks pass"
                : "jbits doctor: " + failed + " of " + checks.size() + " checks failed");
        return failed == 0 ? 0 : Main.EXIT_REFUSED;
    }
}
