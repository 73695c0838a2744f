package io.jbits.cli;

import io.jbits.api.BitsCodes;
import io.jbits.api.FileInfo;
import io.jbits.api.JobError;
import io.jbits.api.JobInfo;
import io.jbits.spi.Bandwidth;
import io.jbits.spi.CredentialSettings;
import io.jbits.spi.HttpSettings;
import io.jbits.spi.JobOptions;
import io.jbits.spi.ProxySettings;
import io.jbits.spi.RateSettings;
import io.jbits.spi.TlsSettings;
import java.util.List;
import java.util.Locale;

/** The human forms of jobs: {@code info}'s aligned lines, {@code list}'s table, {@code monitor}'s table. */
final class JobViews {
    private JobViews() {
    }

    /** One line for an error: code, symbol, context, message, and the file and HTTP status when known. */
    static String error(JobError e) {
        StringBuilder b = new StringBuilder();
        b.append(BitsCodes.hex(e.code())).append(' ').append(BitsCodes.name(e.code())).append(" in ")
                .append(e.context()).append(": ").append(e.message());
        if (e.fileIndex() != null) {
            b.append(" (file ").append(e.fileIndex());
            if (e.httpStatus() != null) {
                b.append(", HTTP ").append(e.httpStatus());
            }
            b.append(')');
        } else if (e.httpStatus() != null) {
            b.append(" (HTTP ").append(e.httpStatus()).append(')');
        }
        if (e.transientError()) {
            b.append(", will retry");
        }
        return b.toString();
    }

    /** {@code info}: a few aligned lines, then the files. */
    static String info(JobInfo j) {
        StringBuilder b = new StringBuilder();
        row(b, "id", j.id());
        row(b, "name", j.name());
        if (!j.description().isEmpty()) {
            row(b, "description", j.description());
        }
        row(b, "type", j.type().label());
        row(b, "state", j.state().name());
        row(b, "priority", j.priority().label());
        row(b, "owner", j.owner());
        row(b, "progress", progress(j));
        row(b, "created", Units.time(j.created()));
        row(b, "modified", Units.time(j.modified()));
        if (j.transferCompleted() != null) {
            row(b, "transferred", Units.time(j.transferCompleted()));
        }
        row(b, "retry", "min retry delay " + Durations.format(j.minRetryDelay()) + ", no-progress timeout "
                + Durations.format(j.noProgressTimeout()));
        if (JobOptions.of(j.options()).has(RateSettings.MAX)) {
            row(b, "max rate", maxRate(j));
        }
        if (j.heldBack() != null) {
            row(b, "held back", j.heldBack());
        }
        String credentials = credentials(j);
        if (!credentials.isEmpty()) {
            row(b, "credentials", credentials);
        }
        if (j.errorCount() > 0) {
            row(b, "errors", Integer.toString(j.errorCount()));
        }
        if (j.error() != null) {
            row(b, "error", error(j.error()));
        }
        StringBuilder http = new StringBuilder(); // proxy, headers, redirects, TLS: the job's HTTP settings
        j.options().forEach((k, v) -> {
            if (ProxySettings.owns(k) || HttpSettings.owns(k) || TlsSettings.owns(k)) {
                http.append(http.isEmpty() ? "" : ", ").append(k).append('=')
                        .append(String.valueOf(v).replace("\r\n", " | "));
            }
        });
        if (!http.isEmpty()) {
            row(b, "http", http.toString());
        }
        b.append("files:\n");
        if (j.files().isEmpty()) {
            b.append("  (none)\n");
        }
        boolean upload = j.type() != io.jbits.api.JobType.DOWNLOAD;
        for (FileInfo f : j.files()) {
            String status = f.completed() ? "done" : Units.percent(f.bytesTransferred(), f.bytesTotal());
            Units.left(b.append("  "), f.index(), 3).append(' ');
            Units.left(b, status.isEmpty() ? "-" : status, 5).append(' ');
            Units.right(b, Units.bytes(f.bytesTransferred()) + " / " + Units.bytes(f.bytesTotal()), 21).append("  ");
            b.append(upload ? f.localPath() : f.remoteUrl()).append(" -> ")
                    .append(upload ? f.remoteUrl() : f.localPath()).append(NEWLINE);
        }
        if (j.replyFile() != null) {
            b.append("reply:  ").append(j.replyFile()).append("  ")
                    .append(j.replyBytesTotal() < 0 ? "(after the upload)"
                            : Units.bytes(j.replyBytesTransferred()) + " / " + Units.bytes(j.replyBytesTotal()))
                    .append('\n');
        }
        return b.toString();
    }

    /**
     * The job's credentials as "target scheme user" joined by commas ({@code server ntlm CORP\ann}), from its
     * {@link CredentialSettings}; "" when none. Secrets never reach a {@link JobInfo}.
     */
    static String credentials(JobInfo j) {
        StringBuilder b = new StringBuilder();
        for (CredentialSettings.Login l : CredentialSettings.from(JobOptions.of(j.options())).logins()) {
            b.append(b.isEmpty() ? "" : ", ").append(l.target().label()).append(' ').append(l.scheme().label())
                    .append(' ').append(l.user());
        }
        return b.toString();
    }

    /** The job's own cap ({@link RateSettings}), for people: "512 KiB/s (512k)", or "no limit". */
    static String maxRate(JobInfo j) {
        Bandwidth cap = RateSettings.from(JobOptions.of(j.options())).max();
        return cap.isLimited() ? cap.describe() + " (" + cap + ")" : "no limit";
    }

    /** What {@code list} and {@code monitor} print under their header when there are no jobs. */
    static final String NO_JOBS = "(no jobs)\n";
    /** What {@code %n} prints: each line ends as the formatter's lines did. */
    private static final String NEWLINE = System.lineSeparator();

    /** {@code list}: one row per job with its full id. */
    static String table(List<JobInfo> jobs) {
        StringBuilder b = new StringBuilder(tableHeader());
        for (JobInfo j : jobs) {
            b.append(tableRow(j));
        }
        if (jobs.isEmpty()) {
            b.append(NO_JOBS);
        }
        return b.toString();
    }

    /** The header line of {@link #table}. */
    static String tableHeader() {
        return tableRow(new StringBuilder(), "ID", "STATE", "PRIORITY", "FILES", "BYTES", "NAME").toString();
    }

    /** One line of {@link #table}. */
    static String tableRow(JobInfo j) {
        return tableRow(new StringBuilder(), j.id(), j.state(), j.priority().label(),
                j.filesTransferred() + "/" + j.filesTotal(),
                Units.bytes(j.bytesTransferred()) + " / " + Units.bytes(j.bytesTotal()), j.name()).toString();
    }

    /** {@code "%-36s  %-15s  %-10s  %-7s  %-23s  %s%n"}. */
    private static StringBuilder tableRow(StringBuilder b, Object id, Object state, Object priority, Object files,
                                          Object bytes, Object name) {
        Units.left(b, id, 36).append("  ");
        Units.left(b, state, 15).append("  ");
        Units.left(b, priority, 10).append("  ");
        Units.left(b, files, 7).append("  ");
        Units.left(b, bytes, 23).append("  ");
        return b.append(name).append(NEWLINE);
    }

    /** {@code monitor}: short ids, progress and rate. */
    static String monitor(List<JobInfo> jobs) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-8s  %-15s  %-10s  %5s  %-23s  %-12s  %s%n",
                "ID", "STATE", "PRIORITY", "DONE", "BYTES", "RATE", "NAME"));
        for (JobInfo j : jobs) {
            b.append(String.format(Locale.ROOT, "%-8s  %-15s  %-10s  %5s  %-23s  %-12s  %s%n",
                    j.id().substring(0, Math.min(8, j.id().length())), j.state(), j.priority().label(),
                    Units.percent(j.bytesTransferred(), j.bytesTotal()),
                    Units.bytes(j.bytesTransferred()) + " / " + Units.bytes(j.bytesTotal()),
                    j.state().isRunning() ? Units.rate(j.bytesPerSecond()) : "-", Units.fit(j.name(), 40)));
        }
        if (jobs.isEmpty()) {
            b.append("(no jobs)\n");
        }
        return b.toString();
    }

    /** The job as an event left it: its state, progress, rate and error from the event, the rest as it was. */
    static JobInfo withEvent(JobInfo j, io.jbits.api.JobEvent e) {
        JobError error = e.state() == j.state() && e.error() == null ? j.error() : e.error();
        return new JobInfo(j.id(), j.name(), j.description(), j.type(), e.state(), j.priority(), j.owner(),
                e.bytesTotal(), e.bytesTransferred(), e.filesTotal(), e.filesTransferred(), j.created(), e.time(),
                j.transferCompleted(), j.minRetryDelay(), j.noProgressTimeout(), j.errorCount(), error,
                e.bytesPerSecond(), j.files(), j.replyFile(), j.replyBytesTotal(), j.replyBytesTransferred(),
                j.options(), j.heldBack());
    }

    private static String progress(JobInfo j) {
        String pct = Units.percent(j.bytesTransferred(), j.bytesTotal());
        return Units.bytes(j.bytesTransferred()) + " / " + Units.bytes(j.bytesTotal())
                + (pct.isEmpty() ? "" : " (" + pct + ")") + ", " + j.filesTransferred() + " of " + j.filesTotal()
                + " files" + (j.state().isRunning() ? ", " + Units.rate(j.bytesPerSecond()) : "");
    }

    private static void row(StringBuilder b, String label, String value) {
        Units.left(b, label + ":", 12).append(' ').append(value).append(NEWLINE);
    }
}
