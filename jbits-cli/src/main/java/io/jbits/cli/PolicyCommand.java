package io.jbits.cli;

import io.jbits.spi.Bandwidth;
import io.jbits.core.policy.Timetable;
import io.jbits.rest.Json;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jbits policy show|set}: the bandwidth policy of the user's service. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Shows or sets the bandwidth policy: a limit for all jobs and one for all background jobs, "
                + "each a RATE (512k, 4M, 1.5G: KiB/s, MiB/s, GiB/s; or off) or a timetable by time of day. "
                + "It lives in bandwidth.conf in the state directory, which may also be edited by hand.",
        subcommands = {PolicyCommand.Show.class, PolicyCommand.Set.class})
final class PolicyCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say 'jbits policy show' or 'jbits policy set'");
    }

    /** {@code jbits policy show}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows the bandwidth policy and the limits in force now.")
    static final class Show implements Callable<Integer> {
        private final Cli cli;

        @Option(names = "--json", description = "print the policy as one JSON object")
        boolean json;

        Show(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws IOException {
            Json.Policy p = cli.services().policy();
            if (json) {
                cli.out().println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(p));
            } else {
                cli.out().print(text(p));
            }
            return p.fileError() == null ? 0 : 1;
        }
    }

    /** {@code jbits policy set}. */
    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Changes the bandwidth policy; running transfers follow within a second.",
                "A TIMETABLE is HH:MM,RATE entries, each in force until the next, every day or on the days "
                        + "written before them: 'Mon-Fri 08:00,512k 18:00,off'."})
    static final class Set implements Callable<Integer> {
        private final Cli cli;
        @Spec
        CommandSpec spec;

        @Option(names = "--limit", paramLabel = "RATE|TIMETABLE", description = "all jobs together")
        String limit;

        @Option(names = "--background-limit", paramLabel = "RATE|TIMETABLE",
                description = "all background jobs (high, normal, low) together")
        String backgroundLimit;

        @Option(names = "--schedule", paramLabel = "TIMETABLE",
                description = "the background limit by time of day, e.g. 'Mon-Fri 08:00,512k 18:00,off'")
        String schedule;

        @Option(names = "--window", paramLabel = "[DAYS ]HH:MM-HH:MM",
                description = "BITS group-policy style: the background limit is --window-limit during these "
                        + "hours and --outside-limit at other times, e.g. 'Mon-Fri 08:00-18:00'")
        String window;

        @Option(names = "--window-limit", paramLabel = "RATE", description = "the background limit in the window")
        String windowLimit;

        @Option(names = "--outside-limit", paramLabel = "RATE",
                description = "the background limit outside the window (default: off)")
        String outsideLimit;

        Set(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws IOException {
            String background = backgroundSetting();
            if (limit == null && background == null) {
                throw usage("nothing to change: give --limit, --background-limit, --schedule or --window");
            }
            check("--limit", limit);
            check(backgroundLimit != null ? "--background-limit" : "--schedule", background);
            Json.Policy p = cli.services().setPolicy(new Json.PolicyChange(limit, background));
            cli.out().print(text(p));
            return 0;
        }

        /** The background limit asked for, from exactly one of its three forms; null when none is given. */
        private String backgroundSetting() {
            int forms = (backgroundLimit != null ? 1 : 0) + (schedule != null ? 1 : 0) + (window != null ? 1 : 0);
            if (forms > 1) {
                throw usage("--background-limit, --schedule and --window each set the background limit: give one");
            }
            if (window == null) {
                if (windowLimit != null || outsideLimit != null) {
                    throw usage("--window-limit and --outside-limit go with --window");
                }
                return backgroundLimit != null ? backgroundLimit : schedule;
            }
            if (windowLimit == null) {
                throw usage("--window needs --window-limit RATE (the limit during the window)");
            }
            try {
                return Timetable.window(window, Bandwidth.parse(windowLimit),
                        outsideLimit == null ? Bandwidth.UNLIMITED : Bandwidth.parse(outsideLimit)).text();
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }

        private void check(String option, String value) {
            if (value == null) {
                return;
            }
            try {
                Timetable.parse(value);
            } catch (IllegalArgumentException e) {
                throw usage(option + ": " + e.getMessage());
            }
        }

        private CommandLine.ParameterException usage(String message) {
            return new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    /** The policy for people: what is set, what is in force now, and any problem with the file. */
    static String text(Json.Policy p) {
        StringBuilder b = new StringBuilder();
        row(b, "limit", p.limit());
        row(b, "background limit", p.backgroundLimit());
        row(b, "now", "all jobs " + now(p.limitNow(), p.limitWhy()) + "; background jobs "
                + now(p.backgroundLimitNow(), p.backgroundWhy()));
        row(b, "file", p.file());
        if (p.fileError() != null) {
            row(b, "file error", p.fileError() + " (the policy above stays in force until the file is fixed)");
        }
        return b.toString();
    }

    private static String now(String rate, String why) {
        if (why != null && !why.isEmpty()) {
            return why;
        }
        Bandwidth b = Bandwidth.parse(rate);
        return b.isLimited() ? b.describe() : "no limit";
    }

    private static void row(StringBuilder b, String label, String value) {
        b.append(String.format(Locale.ROOT, "%-17s %s%n", label + ":", value));
    }
}
