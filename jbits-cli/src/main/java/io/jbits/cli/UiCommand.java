package io.jbits.cli;

import io.jbits.rest.Json;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jbits ui}: asks the service to serve its web dashboard on loopback, prints the address with the token the
 * first visit needs, and opens it in the user's browser when there is one.
 */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = {"Opens the web dashboard of your jobs in your browser (the service serves it on 127.0.0.1).",
            "The address carries a secret token once; the page then keeps it in a cookie. Keep the address to "
                    + "yourself: anyone with the token can act on your jobs."})
final class UiCommand implements Callable<Integer> {
    private final Cli cli;
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT",
            description = "the loopback port to listen on (default: any free one; fixed once the dashboard runs)")
    Integer port;

    @Option(names = "--no-open", description = "print the address only; do not start a browser")
    boolean noOpen;

    UiCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        if (port != null && (port < 1 || port > 65_535)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 1 to 65535, not " + port);
        }
        Json.Dashboard d = cli.services().dashboard(port);
        String address = d.url() + "?token=" + d.token();
        cli.out().println(address);
        if (!noOpen) {
            Path opener = browserOpener(System.getenv());
            if (opener == null) {
                cli.err().println("no browser to open (xdg-open and a display are needed): open the address above");
            } else {
                new ProcessBuilder(opener.toString(), address).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            }
        }
        return 0;
    }

    /** {@code xdg-open} on the PATH when there is a display to show a browser on, else null. */
    static Path browserOpener(Map<String, String> env) {
        if (blank(env.get("DISPLAY")) && blank(env.get("WAYLAND_DISPLAY"))) {
            return null;
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, "xdg-open");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
