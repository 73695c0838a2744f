package io.jbits.cli;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * Runs a command line through picocli: every line {@link QuickVerbs} leaves (options, help, usage errors, the rarer
 * verbs). A class of its own so that {@link Main} names no picocli type: the JVM then neither opens picocli's jar nor
 * loads and verifies its classes (Java 5 class files, which no AOT cache keeps) for a quick verb.
 */
final class PicocliLine {
    private PicocliLine() {
    }

    /** Parses and runs the line; its exit status. */
    static int run(String[] args, Cli cli) {
        Factory factory = new Factory(cli);
        CommandLine cmd = new CommandLine(new JbitsCommand(cli), factory);
        try {
            JbitsCommand.addVerbs(cmd, args, factory);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the jbits command: " + e, e);
        }
        cmd.setOut(new PrintWriter(cli.out(), true));
        cmd.setErr(new PrintWriter(cli.err(), true));
        cmd.setParameterExceptionHandler((e, a) -> {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            cli.err().println("jbits: " + Main.oneLine(message) + " (see '"
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            Main.debug(cli, e);
            return Main.EXIT_USAGE;
        });
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            Main.debug(cli, e);
            return Main.report(cli, e);
        });
        return cmd.execute(args);
    }

    /**
     * A usage error of a command picocli parsed, as picocli's own. Made here, not in the commands: a method that
     * returns or throws picocli's exception type makes the JVM load it to verify the method, at every start for the
     * commands the AOT cache holds.
     */
    static RuntimeException usage(CommandLine.Model.CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Builds commands that take the {@link Cli} in their constructor; picocli builds the rest. */
    private record Factory(Cli cli) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> withCli = type.getDeclaredConstructor(Cli.class);
                return withCli.newInstance(cli);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
