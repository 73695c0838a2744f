package io.jbits.cli;

import io.jbits.api.AuthScheme;
import io.jbits.api.AuthTarget;
import io.jbits.api.Credentials;
import io.jbits.api.JbitsException;
import io.jbits.api.JobChanges;
import io.jbits.api.JobInfo;
import io.jbits.api.Priority;
import io.jbits.spi.Bandwidth;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jbits set}: changes a job's properties. */
@Command(name = "set", mixinStandardHelpOptions = true,
        description = "Changes a job's properties. Durations read 90, 5s, 10m, 2h or 14d.")
final class SetCommand implements Callable<Integer> {
    private final Cli cli;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "job id or unique prefix")
    String job;

    @Option(names = "--priority", paramLabel = "P", converter = Priorities.class,
            description = "foreground, high, normal or low")
    Priority priority;

    @Option(names = "--min-retry-delay", paramLabel = "D", converter = Durations.Converter.class,
            description = "wait at least this long before retrying after a transient error (at least 1s)")
    Duration minRetryDelay;

    @Option(names = "--no-progress-timeout", paramLabel = "D", converter = Durations.Converter.class,
            description = "turn a transient error into ERROR after this long without progress")
    Duration noProgressTimeout;

    @Option(names = "--description", paramLabel = "D", description = "a new description")
    String description;

    @Option(names = "--name", paramLabel = "N", description = "a new display name")
    String name;

    @Option(names = "--reply-file", paramLabel = "PATH",
            description = "where an upload-reply job's reply goes (before the job first runs)")
    String replyFile;

    @Option(names = "--notify-cmd", paramLabel = "'PROGRAM ARGS…'",
            description = "run this program (absolute path) when the job is transferred or fails, with JBITS_JOB_ID "
                    + "and JBITS_EVENT set and {job}/{event} replaced in its arguments; run again later while it "
                    + "exits non-zero; an empty string clears it")
    String notifyCmd;

    @Option(names = "--notify-on", paramLabel = "EVENTS", split = ",",
            description = "the events that run --notify-cmd: transferred, error, modified (default: transferred,error)")
    java.util.List<String> notifyOn;

    @Mixin
    CredentialArgs credentials;

    @Option(names = "--remove-credentials", arity = "2", hideParamSyntax = true, paramLabel = "TARGET SCHEME",
            description = "remove the credentials for TARGET (server|proxy) and SCHEME (basic|digest|ntlm|negotiate)")
    List<String> removeCredentials;

    @Option(names = "--max-rate", paramLabel = "RATE",
            description = "cap this job's rate: 512k, 4M, 1.5G (KiB/s, MiB/s, GiB/s), bytes per second, or off; "
                    + "a running transfer follows within a second")
    String maxRate;

    @Mixin
    HttpSettingsOptions http = new HttpSettingsOptions();

    SetCommand(Cli cli) {
        this.cli = cli;
    }

    /** The changes asked for on the command line. */
    JobChanges changes() {
        return new JobChanges(name, description, priority, minRetryDelay, noProgressTimeout);
    }

    @Override
    public Integer call() throws IOException {
        if (notifyOn != null && notifyCmd == null) {
            throw PicocliLine.usage(spec, "--notify-on needs --notify-cmd");
        }
        credentials.check(spec);
        Bandwidth cap = maxRate == null ? null : MaxRates.parse(maxRate, spec);
        if (changes().equals(JobChanges.none()) && replyFile == null && !credentials.given()
                && removeCredentials == null && cap == null && notifyCmd == null && !http.any()) {
            throw PicocliLine.usage(spec,
                    "nothing to change: give at least one of --priority, --min-retry-delay, --no-progress-timeout, "
                            + "--description, --name, --reply-file, --credentials, --remove-credentials, --max-rate, "
                            + "--notify-cmd, or an HTTP option (--proxy, --header, --redirects, --ca-file, ...)");
        }
        JobInfo j = null;
        if (http.any()) {
            try {
                j = http.apply(cli, cli.services().jobs(), job);
            } catch (IllegalArgumentException e) {
                throw PicocliLine.usage(spec, e.getMessage());
            }
        }
        if (removeCredentials != null) {
            AuthTarget target;
            AuthScheme scheme;
            try {
                target = AuthTarget.parse(removeCredentials.get(0));
                scheme = AuthScheme.parse(removeCredentials.get(1));
            } catch (JbitsException e) {
                throw PicocliLine.usage(spec, e.getMessage());
            }
            j = cli.services().jobs().removeCredentials(job, target, scheme);
        }
        if (credentials.given()) {
            Credentials c = credentials.read(cli, spec);
            try {
                j = cli.services().jobs().setCredentials(job, c);
            } finally {
                c.wipe();
            }
        }
        if (cap != null) {
            j = cli.services().jobs().setMaxRate(job, cap.bytesPerSecond());
        }
        if (replyFile != null) {
            j = cli.services().jobs().setReplyFile(job, cli.absoluteName(replyFile));
        }
        if (notifyCmd != null) {
            java.util.Set<io.jbits.api.JobEvent.Kind> on = java.util.EnumSet.noneOf(io.jbits.api.JobEvent.Kind.class);
            for (String label : notifyOn == null ? java.util.List.<String>of() : notifyOn) {
                on.add(io.jbits.api.JobEvent.Kind.parse(label));
            }
            j = cli.services().jobs().setNotifyCommand(job, notifyCmd.isBlank() ? null : notifyCmd, on);
        }
        if (!changes().equals(JobChanges.none()) || j == null) {
            j = cli.services().jobs().change(job, changes());
        }
        cli.out().println(j.id() + ": priority " + j.priority().label() + ", min retry delay "
                + Durations.format(j.minRetryDelay()) + ", no-progress timeout "
                + Durations.format(j.noProgressTimeout()));
        if (cap != null) {
            cli.out().println(j.id() + ": max rate " + JobViews.maxRate(j));
        }
        if (credentials.given() || removeCredentials != null) {
            String held = JobViews.credentials(j);
            cli.out().println(j.id() + ": credentials " + (held.isEmpty() ? "none" : held));
        }
        return 0;
    }
}
