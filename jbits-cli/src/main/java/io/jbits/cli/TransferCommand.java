package io.jbits.cli;

import io.jbits.api.Credentials;
import io.jbits.api.JbitsException;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.NewFile;
import io.jbits.api.NewJob;
import io.jbits.api.NewUpload;
import io.jbits.api.Priority;
import io.jbits.api.TransferManager;
import io.jbits.spi.Bandwidth;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jbits transfer}: create, add, resume, wait, complete, as {@code Start-BitsTransfer}. Ctrl-C suspends the
 * job (it stays in the queue); an ERROR leaves the job for the user to fix.
 */
@Command(name = "transfer", mixinStandardHelpOptions = true,
        description = "Downloads files in one job (URL LOCAL_PATH pairs), or uploads one file (--upload LOCAL_FILE "
                + "URL, --upload-reply LOCAL_FILE URL), with a progress bar; exits 0 once the transfer is complete. "
                + "--upload LOCAL_FILE URL [LOCAL_FILE URL...] uploads several files, one job each, started together. "
                + "Ctrl-C suspends the job; 'jbits resume JOB' carries on.")
final class TransferCommand implements Callable<Integer> {
    private final Cli cli;
    @Spec
    CommandSpec spec;

    @Option(names = "--priority", paramLabel = "P", converter = Priorities.class,
            description = "foreground (default), high, normal or low")
    Priority priority = Priority.FOREGROUND;

    @Option(names = "--name", paramLabel = "N", description = "the job's display name")
    String name;

    @Option(names = "--upload", paramLabel = "LOCAL_FILE",
            description = "upload this file to the URL given (BITS upload protocol); more LOCAL_FILE URL pairs may "
                    + "follow that URL, one upload job each")
    String upload;

    @Option(names = "--upload-reply", paramLabel = "LOCAL_FILE",
            description = "upload this file to the one URL given and fetch the server application's reply")
    String uploadReply;

    @Option(names = "--file-set", paramLabel = "FILE",
            description = "download the files this text file lists too, one REMOTE_URL LOCAL_PATH pair per line "
                    + "(as 'jbits addfileset'); - reads standard input")
    String fileSet;

    @Option(names = "--reply-file", paramLabel = "PATH",
            description = "where the reply of --upload-reply goes (default: beside LOCAL_FILE)")
    String replyFile;

    @Mixin
    CredentialArgs credentialArgs;

    @Option(names = "--max-rate", paramLabel = "RATE",
            description = "cap the job's rate: 512k, 4M, 1.5G (KiB/s, MiB/s, GiB/s), bytes per second, or off")
    String maxRate;

    @Parameters(paramLabel = "URL LOCAL_PATH", arity = "0..*",
            description = "pairs of a URL and where its file goes (relative to the current directory); with "
                    + "--upload or --upload-reply, the URL to upload to (with --upload, more LOCAL_FILE URL pairs may "
                    + "follow)")
    List<String> pairs = new ArrayList<>();

    @picocli.CommandLine.Mixin
    HttpSettingsOptions http = new HttpSettingsOptions();

    /** {@link #downloads()}, once made. */
    private List<NewFile> downloads;

    TransferCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        String source = upload != null ? upload : uploadReply;
        if (upload != null && uploadReply != null) {
            throw usage("--upload and --upload-reply exclude each other");
        }
        if (replyFile != null && uploadReply == null) {
            throw usage("--reply-file goes with --upload-reply");
        }
        if (fileSet != null && source != null) {
            throw usage("--file-set goes with downloads, not with --upload or --upload-reply");
        }
        if (upload != null && pairs.size() > 1) {
            return uploadSet();
        }
        if (source == null && fileSet == null && pairs.isEmpty()) {
            throw usage("no files: give URL LOCAL_PATH pairs, or --file-set FILE");
        }
        if (source != null && pairs.size() != 1) {
            throw usage("an upload takes exactly one URL after the options, not " + pairs.size() + " arguments");
        }
        if (source == null && pairs.size() % 2 != 0) {
            throw usage("URL and LOCAL_PATH come in pairs; '" + pairs.getLast() + "' has no LOCAL_PATH");
        }
        credentialArgs.check(spec);
        if ("-".equals(fileSet) && credentialArgs.readsStandardInput()) {
            throw usage("--file-set - and --password-stdin both read standard input");
        }
        Bandwidth cap = maxRate == null ? Bandwidth.UNLIMITED : MaxRates.parse(maxRate, spec);
        if (source == null) {
            try {
                downloads(); // the file set read, and refused if bad, before a password is asked for or a job made
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage()); // a local path no file system takes
            }
        }
        Credentials credentials = credentialArgs.given() ? credentialArgs.read(cli, spec) : null;
        // This command keeps the job's file list itself: the service's answers leave it out (thousands of files)
        TransferManager jobs = cli.services().jobsWithoutFiles();
        JobType type = upload != null ? JobType.UPLOAD : uploadReply != null ? JobType.UPLOAD_REPLY : JobType.DOWNLOAD;
        String displayName = name != null ? name
                : (source != null ? type.label() + " " + Path.of(source).getFileName()
                        : "transfer " + Path.of(pairs.isEmpty() ? downloads().getFirst().localPath() : pairs.get(1))
                                .getFileName());
        NewJob job = new NewJob(displayName, type, priority, "");
        boolean settings = cap.isLimited() || credentials != null || http.any();
        if (source == null && !settings) {
            return transfer(jobs, job);
        }
        String id = jobs.create(job).id();
        try {
            if (cap.isLimited()) {
                jobs.setMaxRate(id, cap.bytesPerSecond());
            }
            if (credentials != null) {
                jobs.setCredentials(id, credentials);
                credentials.wipe();
            }
            if (source != null) {
                jobs.addFile(id, pairs.get(0), cli.absoluteName(source));
                if (replyFile != null) {
                    jobs.setReplyFile(id, cli.absoluteName(replyFile));
                }
            } else {
                jobs.addFiles(id, downloads());
            }
            http.apply(cli, jobs, id);
        } catch (IllegalArgumentException e) {
            cancelQuietly(jobs, id);
            throw usage(e.getMessage());
        } catch (RuntimeException e) {
            cancelQuietly(jobs, id);
            throw e;
        }
        return transfer(jobs, id, waiter -> {
            jobs.resume(id);
            return waiter.await(id);
        });
    }

    /** The download pairs, then the file set's, local paths made absolute (once). */
    private List<NewFile> downloads() {
        if (downloads == null) {
            List<NewFile> files = new ArrayList<>(pairs.size() / 2);
            for (int i = 0; i < pairs.size(); i += 2) {
                files.add(new NewFile(pairs.get(i), cli.absoluteName(pairs.get(i + 1))));
            }
            if (fileSet != null) {
                files.addAll(FileSets.read(cli, fileSet));
            }
            downloads = files;
        }
        return downloads;
    }

    /** A download without settings, made with its files and queued in one call (TransferManager.startDownload). */
    private int transfer(TransferManager jobs, NewJob job) throws IOException, InterruptedException {
        JobInfo queued;
        try {
            queued = jobs.startDownload(job, downloads());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        return transfer(jobs, queued.id(), waiter -> waiter.awaitQueued(queued));
    }

    /** How a transfer queues its job and waits for it to end. */
    @FunctionalInterface
    private interface QueueAndWait {
        JobInfo run(JobWaiter waiter) throws InterruptedException;
    }

    /** Queues the job and waits for it to end ({@code wait}), then completes it; Ctrl-C leaves it suspended. */
    private int transfer(TransferManager jobs, String id, QueueAndWait wait) throws IOException, InterruptedException {
        AtomicBoolean waiting = new AtomicBoolean(true);
        Thread onInterrupt = new Thread(() -> suspendOnInterrupt(jobs, id, waiting), "jbits-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        JobInfo ended;
        try {
            ended = wait.run(new JobWaiter(cli, jobs));
        } finally {
            if (waiting.compareAndSet(true, false)) {
                removeHook(onInterrupt);
            }
        }
        return finish(jobs, ended);
    }

    /** {@code --upload LOCAL URL LOCAL URL...}: one upload job per pair ({@link UploadSet}). */
    private int uploadSet() throws IOException, InterruptedException {
        if (uploadReply != null) {
            throw usage("--upload and --upload-reply exclude each other");
        }
        if (replyFile != null) {
            throw usage("--reply-file goes with --upload-reply");
        }
        if (pairs.size() % 2 == 0) {
            throw usage("after --upload LOCAL_FILE URL come LOCAL_FILE URL pairs; '" + pairs.getLast()
                    + "' has no URL");
        }
        credentialArgs.check(spec);
        Bandwidth cap = maxRate == null ? Bandwidth.UNLIMITED : MaxRates.parse(maxRate, spec);
        Credentials credentials = credentialArgs.given() ? credentialArgs.read(cli, spec) : null;
        List<NewUpload> uploads = new ArrayList<>(pairs.size() / 2 + 1);
        for (int i = -1; i < pairs.size(); i += 2) {
            String local = i < 0 ? upload : pairs.get(i);
            String url = pairs.get(i + 1);
            String jobName = name != null ? name : JobType.UPLOAD.label() + " " + Path.of(local).getFileName();
            uploads.add(new NewUpload(new NewJob(jobName, JobType.UPLOAD, priority, ""),
                    new NewFile(url, cli.absoluteName(local))));
        }
        TransferManager jobs = cli.services().jobs();
        boolean settings = cap.isLimited() || credentials != null || http.any();
        try {
            return new UploadSet(cli, jobs).run(uploads, !settings ? null : id -> {
                if (cap.isLimited()) {
                    jobs.setMaxRate(id, cap.bytesPerSecond());
                }
                if (credentials != null) {
                    jobs.setCredentials(id, credentials);
                }
                http.apply(cli, jobs, id);
            });
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        } finally {
            if (credentials != null) {
                credentials.wipe();
            }
        }
    }

    private int finish(TransferManager jobs, JobInfo ended) {
        String id = ended.id();
        if (ended.state() == JobState.ERROR) {
            JobWaiter.outcome(cli, ended);
            cli.err().println("jbits: job " + id + " left in ERROR; fix it and 'jbits resume " + id
                    + "', or 'jbits cancel " + id + "'");
            return 1;
        }
        if (ended.state() != JobState.TRANSFERRED) {
            return JobWaiter.outcome(cli, ended);
        }
        JobInfo done = jobs.complete(id);
        List<String> expected = new ArrayList<>();
        if (done.type() == JobType.DOWNLOAD) {
            downloads().forEach(f -> expected.add(f.localPath()));
        } else if (done.replyFile() != null) {
            expected.add(done.replyFile());
        }
        // java.io.File's stat, not Files.isRegularFile's attribute objects: half the time for 2,000 files (9 ms
        // against 18 in a client's new JVM)
        List<String> missing = expected.stream().filter(p -> !new File(p).isFile()).toList();
        if (done.state() != JobState.ACKNOWLEDGED || !missing.isEmpty()) {
            throw new CliFailure(1, "job " + id + " is " + done.state() + " but files are missing: " + missing);
        }
        if (done.replyFile() != null) {
            cli.out().println("reply: " + done.replyFile());
        }
        return 0;
    }

    private RuntimeException usage(String message) {
        if (spec == null) { // run by QuickVerbs, without picocli: the same line picocli's handler prints
            return new CliFailure(Main.EXIT_USAGE, message + " (see 'jbits transfer --help')");
        }
        return PicocliLine.usage(spec, message);
    }

    /** The shutdown hook: on Ctrl-C (SIGINT, exit 130) while waiting, leave the job suspended in the queue. */
    private void suspendOnInterrupt(TransferManager jobs, String id, AtomicBoolean waiting) {
        if (!waiting.compareAndSet(true, false)) {
            return;
        }
        try {
            jobs.suspend(id);
            cli.err().println();
            cli.err().println("jbits: job " + id + " suspended; 'jbits resume " + id + "' carries on");
        } catch (RuntimeException e) {
            cli.err().println();
            cli.err().println("jbits: could not suspend job " + id + " (" + e.getMessage() + "); it goes on "
                    + "in the background: 'jbits suspend " + id + "' or 'jbits cancel " + id + "'");
        }
        cli.err().flush();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting already; the hook has nothing left to do.
        }
    }

    private static void cancelQuietly(TransferManager jobs, String id) {
        try {
            jobs.cancel(id);
        } catch (JbitsException | java.io.UncheckedIOException e) {
            // Best effort: the job is left SUSPENDED and visible in 'jbits list'.
        }
    }
}
