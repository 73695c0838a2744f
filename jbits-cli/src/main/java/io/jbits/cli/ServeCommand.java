package io.jbits.cli;

import io.jbits.server.FileServer;
import io.jbits.server.ServeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jbits serve}: a static file server with Range, ETag and Last-Modified, until killed. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serves the files under DIR over HTTP (HEAD, Range, ETag, Last-Modified) until killed. "
                + "Loopback only unless --bind says otherwise.")
final class ServeCommand implements Callable<Integer> {
    private final Cli cli;

    @Parameters(paramLabel = "DIR", description = "the directory to serve")
    String dir;

    @Option(names = "--port", paramLabel = "P", description = "TCP port (default ${DEFAULT-VALUE}; 0 picks a free one)")
    int port = ServeConfig.DEFAULT_PORT;

    @Option(names = "--bind", paramLabel = "ADDR", description = "address to listen on (default ${DEFAULT-VALUE})")
    String bind = ServeConfig.DEFAULT_BIND_ADDRESS;

    ServeCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws InterruptedException {
        Path root = cli.absolute(dir);
        if (!Files.isDirectory(root)) {
            throw new CliFailure(1, "not a directory: " + root);
        }
        ServeConfig config;
        try {
            config = new ServeConfig(root, bind, port);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(2, e.getMessage());
        }
        FileServer server;
        try {
            server = FileServer.start(config);
        } catch (IOException e) {
            throw new CliFailure(1, "cannot serve " + root + ": " + e.getMessage());
        }
        try (server) {
            cli.out().println(server.baseUri());
            cli.out().flush();
            server.join();
        }
        return 0;
    }
}
