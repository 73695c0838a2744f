package io.jbits.spi;

import io.jbits.api.JbitsException;
import io.jbits.api.JobEvent;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A job's notification command (BITS SetNotifyCmdLine) as the options {@code notify.*} hold it: the command line as
 * given and the events that run it, and the mark of the last run that succeeded.
 *
 * <p>As in BITS, the program is an absolute path (no search-path lookup, no variable expansion) and the command
 * line is at most 4,000 characters. It is split into words as a POSIX shell splits them, with single quotes,
 * double quotes and backslashes, and without anything else a shell does. The command runs for TRANSFERRED and
 * ERROR unless {@code notify.on} says otherwise; MODIFIED may be asked for too.
 *
 * @param commandLine the command line as the owner gave it
 * @param argv the program and its arguments
 * @param on the events that run it
 */
public record NotifyCommand(String commandLine, List<String> argv, Set<JobEvent.Kind> on) {
    /** {@code notify.cmd}: the command line as the owner gave it; absent means no command. */
    public static final OptionKey<String> CMD = OptionKey.text("notify.cmd");
    /** {@code notify.on}: the events that run it, comma-separated labels; absent or empty means transferred, error. */
    public static final OptionKey<String> ON = OptionKey.text("notify.on");
    /**
     * {@code notify.done}: which TRANSFERRED or ERROR event the command last ran for with success, so that a
     * restarted service does not run it again for the same event; written by the service that runs the commands.
     */
    public static final OptionKey<String> DONE = OptionKey.text("notify.done");
    private static final int MAX_CHARS = 4000;

    public NotifyCommand {
        argv = List.copyOf(argv);
        on = Set.copyOf(on);
    }

    /**
     * Checks and splits a command line.
     *
     * @param on the events that run it; empty or null for TRANSFERRED and ERROR
     * @throws JbitsException E_INVALIDARG for an empty or too long line, a relative program path, unbalanced quotes
     *     or FILE_TRANSFERRED (which BITS's command line ignores)
     */
    public static NotifyCommand parse(String commandLine, Set<JobEvent.Kind> on) {
        if (commandLine.length() > MAX_CHARS) {
            throw JbitsException.invalidArgument("notify command is " + commandLine.length()
                    + " characters long; at most " + MAX_CHARS + " allowed");
        }
        List<String> argv = split(commandLine);
        if (argv.isEmpty()) {
            throw JbitsException.invalidArgument("notify command is empty");
        }
        if (!argv.get(0).startsWith("/")) {
            throw JbitsException.invalidArgument("notify command must start with the program's absolute path, not '"
                    + argv.get(0) + "'");
        }
        Set<JobEvent.Kind> kinds = on == null || on.isEmpty()
                ? EnumSet.of(JobEvent.Kind.TRANSFERRED, JobEvent.Kind.ERROR) : EnumSet.copyOf(on);
        if (kinds.contains(JobEvent.Kind.FILE_TRANSFERRED)) {
            throw JbitsException.invalidArgument("notify command: --notify-on takes transferred, error, modified");
        }
        return new NotifyCommand(commandLine, argv, kinds);
    }

    /** The job's command, or null when its options have none. */
    public static NotifyCommand from(JobOptions options) {
        String cmd = options.get(CMD);
        if (cmd == null) {
            return null;
        }
        String on = options.get(ON);
        Set<JobEvent.Kind> kinds = EnumSet.noneOf(JobEvent.Kind.class);
        if (on != null) {
            for (String label : on.split(",")) {
                if (!label.isBlank()) {
                    kinds.add(JobEvent.Kind.parse(label));
                }
            }
        }
        return parse(cmd, kinds);
    }

    /** The options with this command in them; the mark of a past success stays. */
    public JobOptions writeTo(JobOptions options) {
        String labels = on.stream().sorted().map(JobEvent.Kind::label).collect(Collectors.joining(","));
        return options.with(CMD, commandLine).with(ON, labels);
    }

    /** The options without a command, and without the mark of its past success. */
    public static JobOptions clear(JobOptions options) {
        return options.with(CMD, null).with(ON, null).with(DONE, null);
    }

    /** The mark of the event the command last ran for with success, or null. */
    public static String done(JobOptions options) {
        return options.get(DONE);
    }

    /** The options with {@code mark} as the event the command last ran for with success. */
    public static JobOptions withDone(JobOptions options, String mark) {
        return options.with(DONE, mark);
    }

    /** True when this event runs the command. */
    public boolean runsOn(JobEvent.Kind kind) {
        return on.contains(kind);
    }

    /** Splits words as a POSIX shell does with quotes and backslashes, and nothing more. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw JbitsException.invalidArgument("notify command: unbalanced ' in " + line);
                }
                word.append(line, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                int j = i + 1;
                for (; j < line.length() && line.charAt(j) != '"'; j++) {
                    char d = line.charAt(j);
                    if (d == '\\' && j + 1 < line.length() && "\"\\$`".indexOf(line.charAt(j + 1)) >= 0) {
                        d = line.charAt(++j);
                    }
                    word.append(d);
                }
                if (j >= line.length()) {
                    throw JbitsException.invalidArgument("notify command: unbalanced \" in " + line);
                }
                i = j;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
