package io.jbits.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every command works with: the service, the output streams, the caller's working directory, whether
 * stdout and stderr are terminals (progress redraws in place) or files or pipes (a line now and then), and standard
 * input (where {@code --password-stdin} reads a secret).
 */
record Cli(Services services, PrintStream out, PrintStream err, Path cwd, boolean stdoutIsTerminal,
          boolean stderrIsTerminal, InputStream in) {

    /** A CLI whose standard input is the process's. */
    Cli(Services services, PrintStream out, PrintStream err, Path cwd, boolean stdoutIsTerminal,
        boolean stderrIsTerminal) {
        this(services, out, err, cwd, stdoutIsTerminal, stderrIsTerminal, System.in);
    }

    /** The CLI of this process. */
    static Cli system(Services services) {
        return new Cli(services, System.out, System.err, Path.of("").toAbsolutePath(), isTerminal(1), isTerminal(2),
                System.in);
    }

    /** A path given on the command line, made absolute against the caller's working directory. */
    Path absolute(String path) {
        return cwd.resolve(path).toAbsolutePath().normalize();
    }

    /** Whether a file descriptor of this process (1 stdout, 2 stderr) is a terminal. */
    private static boolean isTerminal(int descriptor) {
        Path fd = Path.of("/proc/self/fd/" + descriptor);
        try {
            if (Files.isSymbolicLink(fd)) {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // No /proc (macOS): fall back on the console, which looks at stdin and stdout.
        }
        Console console = System.console();
        return console != null && console.isTerminal();
    }
}
