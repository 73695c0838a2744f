package io.jbits.cli;

import io.jbits.api.JobInfo;
import io.jbits.api.NewFile;
import io.jbits.api.TransferManager;
import io.jbits.rest.JbitsVersion;
import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code jbits} command: its verbs are subcommands; the one-argument job verbs are methods here. */
@Command(name = "jbits", mixinStandardHelpOptions = true, versionProvider = JbitsCommand.Version.class,
        description = "Background transfers that survive crashes and reboots: BITS for the JVM.%n"
                + "A job may be named by its id or a unique prefix of it.",
        addMethodSubcommands = false)
final class JbitsCommand implements Runnable {
    /**
     * The verbs with classes of their own, in the order of the help; the methods' verbs follow them. A method, not
     * a constant: a quick verb (QuickVerbs) then loads none of the other verbs' classes.
     */
    private static List<Class<?>> verbClasses() {
        return List.of(CreateCommand.class, InfoCommand.class, ListCommand.class, WaitCommand.class,
                SetCommand.class, TransferCommand.class, MonitorCommand.class, UiCommand.class, ServiceCommand.class,
                ServeCommand.class, ReplyCommand.class, PolicyCommand.class,
                DoctorCommand.class);
    }

    private final Cli cli;
    @Spec
    CommandSpec spec;

    JbitsCommand(Cli cli) {
        this.cli = cli;
    }

    /**
     * Gives the command its verbs: only the one the first argument names, when it names one, else every verb (for
     * the help and for suggestions). picocli reads each verb's annotations when it is added, and all of them were
     * half of a short command's start (130 ms of 260).
     */
    static void addVerbs(CommandLine root, String[] args, CommandLine.IFactory factory) throws Exception {
        String first = args.length > 0 ? args[0] : "";
        List<Method> methods = CommandLine.getCommandMethods(JbitsCommand.class, null);
        List<Class<?>> verbClasses = verbClasses();
        boolean named = verbClasses.stream().anyMatch(c -> verbName(c).equals(first))
                || methods.stream().anyMatch(m -> verbName(m).equals(first));
        for (Class<?> c : verbClasses) {
            if (!named || verbName(c).equals(first)) {
                root.addSubcommand(new CommandLine(factory.create(c), factory));
            }
        }
        for (Method m : methods) {
            if (!named || verbName(m).equals(first)) {
                root.addSubcommand(new CommandLine(m, factory));
            }
        }
    }

    private static String verbName(AnnotatedElement verb) {
        return verb.getAnnotation(Command.class).name();
    }

    /** {@code --user NAME}: root acts on another user's jobs through that user's service ({@link io.jbits.client.UserSockets}). */
    @CommandLine.Option(names = "--user", paramLabel = "NAME", description = "(root) act on user NAME's jobs "
            + "through NAME's running service: list, info, suspend, resume, cancel, complete")
    void user(String name) {
        cli.services().actFor(name);
    }

    @Override
    public void run() {
        throw PicocliLine.usage(spec, "a verb is needed, such as 'jbits transfer'");
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Adds a file to a job; a relative LOCAL_PATH is taken from the current directory.")
    int add(@Parameters(paramLabel = "JOB", description = "job id or unique prefix") String job,
            @Parameters(paramLabel = "URL",
                    description = "http(s):// or smb:// URL, or \\\\host\\share\\path, to download") String url,
            @Parameters(paramLabel = "LOCAL_PATH", description = "where the file goes") String localPath)
            throws IOException {
        JobInfo j = jobs().addFile(job, url, cli.absoluteName(localPath));
        cli.out().println(j.id() + ": file " + (j.filesTotal() - 1) + " added, " + j.filesTotal() + " in all");
        return 0;
    }

    @Command(name = "addfileset", mixinStandardHelpOptions = true,
            description = "Adds the files a text file lists to a job in one request, as bitsadmin /addfileset: one "
                    + "REMOTE_URL LOCAL_PATH pair per line, blank lines and # comments skipped, a name with spaces "
                    + "in double quotes; '-' reads standard input. A relative LOCAL_PATH is taken from the current "
                    + "directory.")
    int addFileSet(@Parameters(paramLabel = "JOB", description = "job id or unique prefix") String job,
                   @Parameters(paramLabel = "FILE", description = "the file set, or - for standard input")
                   String fileSet) throws IOException {
        List<NewFile> files = FileSets.read(cli, fileSet);
        JobInfo j = cli.services().jobsWithoutFiles().addFiles(job, files);
        cli.out().println(j.id() + ": " + files.size() + (files.size() == 1 ? " file" : " files") + " added, "
                + j.filesTotal() + " in all");
        return 0;
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Queues a job for transfer.")
    int resume(@Parameters(paramLabel = "JOB", description = "job id or unique prefix") String job)
            throws IOException {
        return printState(jobs().resume(job));
    }

    @Command(name = "suspend", mixinStandardHelpOptions = true,
            description = "Stops a job's transfers, keeping its progress.")
    int suspend(@Parameters(paramLabel = "JOB", description = "job id or unique prefix") String job)
            throws IOException {
        return printState(jobs().suspend(job));
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancels a job and deletes its temporary files.")
    int cancel(@Parameters(paramLabel = "JOB", description = "job id or unique prefix") String job)
            throws IOException {
        return printState(jobs().cancel(job));
    }

    @Command(name = "complete", mixinStandardHelpOptions = true,
            description = "Moves a job's transferred files to their final names; files not fully "
                    + "transferred are dropped, as BITS does.")
    int complete(@Parameters(paramLabel = "JOB", description = "job id or unique prefix") String job)
            throws IOException {
        JobInfo j = jobs().complete(job);
        long kept = j.files().stream().filter(f -> f.completed()).count();
        if (kept < j.files().size()) {
            cli.err().println("jbits: " + kept + " of " + j.files().size()
                    + " files were complete and kept; the others were dropped");
        }
        return printState(j);
    }

    @Command(name = "set-remote", mixinStandardHelpOptions = true,
            description = "Points one file of a job at a new URL; the transfer continues when it serves the same "
                    + "file, else that file restarts.")
    int setRemote(@Parameters(paramLabel = "JOB", description = "job id or unique prefix") String job,
                  @Parameters(paramLabel = "FILE_INDEX", description = "the file's index, from 0") int index,
                  @Parameters(paramLabel = "URL", description = "the new URL") String url) throws IOException {
        JobInfo j = jobs().setRemoteUrl(job, index, url);
        String now = index >= 0 && index < j.files().size() ? j.files().get(index).remoteUrl() : url;
        cli.out().println(j.id() + ": file " + index + " now from " + now);
        return 0;
    }

    @Command(name = "version", mixinStandardHelpOptions = true, description = "Prints the version of jbits.")
    int version(@Option(names = "--verbose", description = "also the commit, the build time, the runtime and "
            + "every bundled module and library with its version and SHA-256") boolean verbose) throws IOException {
        if (verbose) {
            VersionReport.print(cli.out());
            return 0;
        }
        cli.out().println("jbits " + JbitsVersion.current());
        return 0;
    }

    private TransferManager jobs() throws IOException {
        return cli.services().jobs();
    }

    private int printState(JobInfo j) {
        cli.out().println(j.id() + ": " + j.state());
        return 0;
    }

    /** {@code jbits --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jbits " + JbitsVersion.current()};
        }
    }
}
