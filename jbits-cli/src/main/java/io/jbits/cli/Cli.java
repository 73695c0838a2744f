package io.jbits.cli;

import java.io.Console;
import java.io.File;
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

    /**
     * {@link #absolute}'s text. Where names are separated by '/', a name with no empty, "." or ".." part and no
     * trailing '/' (and a working directory the same) is joined as text, without a Path's parsing: the 2,000 local
     * paths of one {@code transfer} took 9 ms that way in a command's new JVM.
     */
    String absoluteName(String path) {
        if (File.separatorChar == '/' && isNormal(path)) {
            if (path.charAt(0) == '/') {
                return path;
            }
            String base = cwd.toString();
            if (!base.isEmpty() && base.charAt(0) == '/' && isNormal(base)) {
                return base.length() == 1 ? "/" + path : base + "/" + path;
            }
        }
        return absolute(path).toString();
    }

    /** Whether a '/'-separated name has no empty, "." or ".." part, no trailing '/' and no NUL; "/" has none. */
    static boolean isNormal(String path) {
        int n = path.length();
        int part = n > 0 && path.charAt(0) == '/' ? 1 : 0;
        if (part == n) {
            return n == 1;
        }
        for (int i = part; i <= n; i++) {
            char c = i < n ? path.charAt(i) : '/';
            if (c == '\0') {
                return false;
            }
            if (c == '/') {
                int length = i - part;
                if (length == 0 || path.charAt(part) == '.' && (length == 1
                        || length == 2 && path.charAt(part + 1) == '.')) {
                    return false;
                }
                part = i + 1;
            }
        }
        return true;
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
