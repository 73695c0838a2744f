package io.jbits.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes the packages' documentation from the CLI's picocli model, at build time: one AsciiDoc man page per command
 * ({@code man/jbits.adoc}, {@code man/jbits-transfer.adoc}, {@code man/jbits-service-start.adoc}...) and the bash
 * completion script ({@code completion/jbits}). It sits in the CLI's package to build the command as
 * {@link Main} does, with every verb.
 */
public final class DocGen {
    private DocGen() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: DocGen OUTPUT_DIR");
        }
        Path out = Path.of(args[0]);
        CommandLine cmd = command();
        Path man = Files.createDirectories(out.resolve("man"));
        int status = ManPageGenerator.generateManPage(man.toFile(), null, new boolean[0], true,
                cmd.getCommandSpec());
        if (status != 0) {
            throw new IOException("the man page generator failed with status " + status);
        }
        Path completion = Files.createDirectories(out.resolve("completion"));
        Files.writeString(completion.resolve("jbits"), AutoComplete.bash("jbits", cmd), StandardCharsets.UTF_8);
    }

    /** The jbits command with all its verbs; nothing it builds reaches a service. */
    static CommandLine command() throws Exception {
        PrintStream none = new PrintStream(PrintStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Cli cli = new Cli(null, none, none, Path.of("").toAbsolutePath(), false, false);
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                try {
                    Constructor<K> withCli = type.getDeclaredConstructor(Cli.class);
                    withCli.setAccessible(true);
                    return withCli.newInstance(cli);
                } catch (NoSuchMethodException e) {
                    return CommandLine.defaultFactory().create(type);
                }
            }
        };
        CommandLine cmd = new CommandLine(new JbitsCommand(cli), factory);
        JbitsCommand.addVerbs(cmd, new String[0], factory);
        return cmd;
    }
}
