package io.jbits.cli;

import io.jbits.rest.ServicePaths;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jbits service uninstall [--purge] [--yes]}: stops and disables the user's service (systemd's user units
 * too, where they run); with {@code --purge}, deletes the user's jbits state after a confirmation.
 */
@Command(name = "uninstall", mixinStandardHelpOptions = true,
        description = "Stops your jbits service and disables it for you (masks jbits.socket for your systemd "
                + "user manager; 'systemctl --user unmask jbits.socket' undoes it). Your jobs and state stay "
                + "unless --purge.")
final class ServiceUninstallCommand implements Callable<Integer> {
    private static final String SOCKET_UNIT = "jbits.socket";

    private final Cli cli;

    @Option(names = "--purge", description = "also delete your state directory (every job and its record), your "
            + "socket directory and your jbits cache, after a confirmation")
    boolean purge;

    @Option(names = "--yes", description = "do not ask for confirmation")
    boolean yes;

    ServiceUninstallCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        ServicePaths paths;
        try {
            paths = ServicePaths.fromEnvironment();
        } catch (IllegalArgumentException e) {
            throw new CliFailure(Main.EXIT_REFUSED, e.getMessage());
        }
        Path home = Path.of(System.getProperty("user.home"));
        return uninstall(paths, ServicePaths.cacheDirectory(), home.resolve(".config/systemd/user"),
                Files.isRegularFile(Path.of("/usr/lib/systemd/user", SOCKET_UNIT)));
    }

    /** The steps, against given directories (tests use temporary ones). */
    int uninstall(ServicePaths paths, Path cache, Path userUnits, boolean unitsInstalled) throws IOException {
        if (unitsInstalled) {
            // First the socket: a connection to it would start the service again.
            systemctl("stop", SOCKET_UNIT, "jbits.service");
            mask(userUnits.resolve(SOCKET_UNIT));
            systemctl("daemon-reload");
            cli.out().println("disabled " + SOCKET_UNIT + " for you ('systemctl --user unmask " + SOCKET_UNIT
                    + "' enables it again)");
        }
        cli.out().println(cli.services().stop() ? "jbits service stopped" : "jbits service is not running");
        if (!purge) {
            cli.out().println("your jobs and state stay in " + paths.stateDir());
            return 0;
        }
        List<Path> targets = new ArrayList<>(List.of(paths.stateDir()));
        if (!paths.socket().getParent().equals(paths.stateDir())) {
            targets.add(paths.socket().getParent());
        }
        if (cache != null) {
            targets.add(cache);
        }
        if (!yes && !confirmed(targets)) {
            cli.err().println("jbits: nothing deleted");
            return Main.EXIT_REFUSED;
        }
        for (Path p : targets) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                deleteTree(p);
                cli.out().println("deleted " + p);
            }
        }
        return 0;
    }

    private boolean confirmed(List<Path> targets) throws IOException {
        cli.err().print("delete " + String.join(", ", targets.stream().map(Path::toString).toList())
                + ", with every jbits job and its record? Type yes to confirm: ");
        cli.err().flush();
        String answer = new BufferedReader(new InputStreamReader(cli.in(), StandardCharsets.UTF_8)).readLine();
        return answer != null && answer.strip().equals("yes");
    }

    /** What {@code systemctl --user mask} does: the unit's name points at /dev/null in the user's unit directory. */
    private static void mask(Path unit) throws IOException {
        if (Files.isSymbolicLink(unit)) {
            return;
        }
        Files.createDirectories(unit.getParent());
        Files.deleteIfExists(unit);
        Files.createSymbolicLink(unit, Path.of("/dev/null"));
    }

    /** {@code systemctl --user ...} when the user's manager answers; nothing otherwise (no session, no systemd). */
    private static void systemctl(String... args) {
        if (!Files.isDirectory(Path.of("/run/systemd/system"))) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("systemctl", "--user", "--quiet"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            // no systemctl: nothing of systemd's to stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
