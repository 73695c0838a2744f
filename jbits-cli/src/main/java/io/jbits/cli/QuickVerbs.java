package io.jbits.cli;

import io.jbits.api.Priority;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Runs the most frequent command lines without picocli: {@code version}, {@code info JOB [--json]},
 * {@code list [--all] [--json]}, {@code create NAME}, {@code add JOB URL LOCAL_PATH}, {@code addfileset JOB FILE},
 * {@code resume}, {@code suspend}, {@code cancel} and {@code complete JOB}, {@code transfer} with its plain options
 * (priority, name, the file set, the uploads and the reply file), {@code set JOB} with its plain options
 * (priority, name, description, the two durations), {@code wait JOB}, and {@code service start}, {@code stop} and
 * {@code status}.
 *
 * <p>Why: picocli's classes are Java 5 class files, which the JVM can neither keep in a class-data archive nor an
 * AOT cache, so every start loads, verifies and reflects over them again: about 200 ms of CPU, more than the whole
 * rest of a short command. Each line this class takes runs the very method picocli would have called, with the
 * same fields; anything else (an option it does not know, an argument that starts with {@code -} or {@code @}, a
 * wrong count, {@code --help}) goes to picocli, so usage errors, help and argument files behave exactly as
 * before.
 */
final class QuickVerbs {
    private QuickVerbs() {
    }

    /** The command this line runs, or null when picocli must parse it. */
    static Callable<Integer> parse(String[] args, Cli cli) {
        if (args.length == 0) {
            return null;
        }
        List<String> positional = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("@")) {
                return null; // picocli reads argument files
            }
            if (a.startsWith("-")) {
                if (flags.contains(a)) {
                    return null; // picocli refuses an option given twice
                }
                flags.add(a);
            } else {
                positional.add(a);
            }
        }
        return switch (args[0]) {
            case "version" -> positional.isEmpty() && flags.isEmpty() ? () -> new JbitsCommand(cli).version(false) : null;
            case "info" -> info(cli, positional, flags);
            case "list" -> list(cli, positional, flags);
            case "create" -> create(cli, positional, flags);
            case "add" -> positional.size() == 3 && flags.isEmpty()
                    ? () -> new JbitsCommand(cli).add(positional.get(0), positional.get(1), positional.get(2))
                    : null;
            case "addfileset" -> positional.size() == 2 && flags.isEmpty()
                    ? () -> new JbitsCommand(cli).addFileSet(positional.get(0), positional.get(1))
                    : null;
            case "resume", "suspend", "cancel", "complete" -> positional.size() == 1 && flags.isEmpty()
                    ? jobAction(cli, args[0], positional.getFirst()) : null;
            case "transfer" -> transfer(cli, args);
            case "set" -> set(cli, args);
            case "wait" -> positional.size() == 1 && flags.isEmpty() ? waitFor(cli, positional.getFirst()) : null;
            case "service" -> positional.size() == 1 && flags.isEmpty() ? service(cli, positional.getFirst()) : null;
            default -> null;
        };
    }

    private static Callable<Integer> info(Cli cli, List<String> positional, List<String> flags) {
        if (positional.size() != 1 || !List.of("--json").containsAll(flags)) {
            return null;
        }
        InfoCommand c = new InfoCommand(cli);
        c.job = positional.getFirst();
        c.json = flags.contains("--json");
        return c;
    }

    private static Callable<Integer> list(Cli cli, List<String> positional, List<String> flags) {
        if (!positional.isEmpty() || !List.of("--all", "--json").containsAll(flags)) {
            return null;
        }
        ListCommand c = new ListCommand(cli);
        c.all = flags.contains("--all");
        c.json = flags.contains("--json");
        return c;
    }

    private static Callable<Integer> create(Cli cli, List<String> positional, List<String> flags) {
        if (positional.size() != 1 || !flags.isEmpty()) {
            return null;
        }
        CreateCommand c = new CreateCommand(cli);
        c.name = positional.getFirst();
        return c;
    }

    private static Callable<Integer> jobAction(Cli cli, String verb, String job) {
        JbitsCommand c = new JbitsCommand(cli);
        return switch (verb) {
            case "resume" -> () -> c.resume(job);
            case "suspend" -> () -> c.suspend(job);
            case "cancel" -> () -> c.cancel(job);
            default -> () -> c.complete(job);
        };
    }

    private static Callable<Integer> waitFor(Cli cli, String job) {
        WaitCommand c = new WaitCommand(cli);
        c.job = job;
        return c;
    }

    /** {@code service start}, {@code stop} and {@code status}; the other verbs (and the unknown) go to picocli. */
    private static Callable<Integer> service(Cli cli, String verb) {
        ServiceCommand c = new ServiceCommand(cli);
        return switch (verb) {
            case "start" -> c::start;
            case "stop" -> c::stop;
            case "status" -> c::status;
            default -> null;
        };
    }

    /**
     * {@code set JOB} with any of {@code --priority}, {@code --name}, {@code --description},
     * {@code --min-retry-delay} and {@code --no-progress-timeout}, each once, as {@code --option VALUE} or
     * {@code --option=VALUE}. A value picocli would read otherwise (one that starts with {@code -}), or one these
     * readers refuse, goes to picocli, whose message the user then gets.
     */
    private static Callable<Integer> set(Cli cli, String[] args) {
        SetCommand c = new SetCommand(cli);
        c.credentials = new CredentialArgs();
        int options = readLine(args, a -> {
            if (c.job != null) {
                return false;
            }
            c.job = a;
            return true;
        }, (option, value) -> {
            switch (option) {
                case "--priority" -> c.priority = Priority.parse(value);
                case "--name" -> c.name = value;
                case "--description" -> c.description = value;
                case "--min-retry-delay" -> c.minRetryDelay = Durations.parse(value);
                case "--no-progress-timeout" -> c.noProgressTimeout = Durations.parse(value);
                default -> {
                    return false;
                }
            }
            return true;
        });
        return c.job == null || options <= 0 ? null : c;
    }

    /**
     * {@code transfer [--priority P] [--name N] URL LOCAL_PATH [URL LOCAL_PATH...]}, or with {@code --upload
     * LOCAL_FILE URL [LOCAL_FILE URL...]} or {@code --upload-reply LOCAL_FILE [--reply-file PATH] URL}: each option
     * once, with its value as the next argument or after {@code =}. A line the command would refuse (a count that
     * does not fit, options that exclude each other) goes to picocli, which says why.
     */
    private static Callable<Integer> transfer(Cli cli, String[] args) {
        TransferCommand c = new TransferCommand(cli);
        int options = readLine(args, c.pairs::add, (option, value) -> {
            if (value.isEmpty()) {
                return false;
            }
            switch (option) {
                case "--priority" -> c.priority = Priority.parse(value);
                case "--name" -> c.name = value;
                case "--upload" -> c.upload = value;
                case "--upload-reply" -> c.uploadReply = value;
                case "--reply-file" -> c.replyFile = value;
                case "--file-set" -> c.fileSet = value;
                default -> {
                    return false;
                }
            }
            return true;
        });
        if (options < 0) {
            return null;
        }
        int n = c.pairs.size();
        boolean fits = c.upload != null ? c.uploadReply == null && c.replyFile == null && c.fileSet == null
                        && n % 2 == 1
                : c.uploadReply != null ? n == 1 && c.fileSet == null
                : c.replyFile == null && (n > 0 || c.fileSet != null) && n % 2 == 0;
        if (!fits) {
            return null;
        }
        c.credentialArgs = new CredentialArgs();
        return c;
    }

    /** Takes one option of a line with its value; false when picocli must read the line instead. */
    @FunctionalInterface
    private interface OptionTaker {
        boolean take(String option, String value);
    }

    /**
     * Reads {@code args} after the verb: each argument not starting with {@code -} goes to {@code positional}; each
     * option, once, with its value after {@code =} or as the next argument (which must not start with {@code -}),
     * goes to {@code options}. Answers how many options it read, or -1 when picocli must read the line: an option
     * without a value or given twice, one {@code options} does not take, a value it refuses.
     */
    private static int readLine(String[] args, java.util.function.Predicate<String> positional,
                                OptionTaker options) {
        List<String> seen = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-")) {
                if (!positional.test(a)) {
                    return -1;
                }
                continue;
            }
            int eq = a.indexOf('=');
            String option = eq < 0 ? a : a.substring(0, eq);
            String value;
            if (eq >= 0) {
                value = a.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                value = args[++i];
            } else {
                return -1;
            }
            if (seen.contains(option)) {
                return -1;
            }
            seen.add(option);
            try {
                if (!options.take(option, value)) {
                    return -1;
                }
            } catch (IllegalArgumentException refused) {
                return -1;
            }
        }
        return seen.size();
    }
}
