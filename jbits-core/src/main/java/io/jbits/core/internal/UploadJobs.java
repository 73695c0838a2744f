package io.jbits.core.internal;

import io.jbits.api.BitsCodes;
import io.jbits.api.JbitsException;
import io.jbits.api.JobInfo;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.spi.FileRow;
import io.jbits.spi.TransferFailure;
import io.jbits.spi.UploadRequest;
import io.jbits.spi.UploadTransport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The owner's calls that only upload and upload-reply jobs have: the one file and its reply, the reply's bytes,
 * and ending the server's session on cancel. Decisions are made under the {@link JobTable#lock}, files are
 * read and the store written after it, as everywhere.
 */
final class UploadJobs {
    private static final System.Logger LOG = System.getLogger(UploadJobs.class.getName());
    private static final long MAX_REPLY_DATA_BYTES = 1 << 20;
    private final JobTable table;
    private final Transports transports;

    UploadJobs(JobTable table, Transports transports) {
        this.table = table;
        this.transports = transports;
    }

    /**
     * Adds the one file of an upload job: {@code localPath} is the source, read where it is and never moved; its
     * size and modification time are kept to notice a change during the upload. An upload-reply job also gets its
     * reply, due beside the source unless {@link #setReplyFile} says otherwise.
     */
    JobInfo add(String jobId, String remoteUrl, String localPath) {
        Source source = check(remoteUrl, localPath);
        synchronized (table.lock) {
            attach(table.find(jobId), source);
        }
        table.flush();
        return table.info(jobId);
    }

    /** An upload's file, checked without the lock: its URL, absolute local path, size and modification time. */
    record Source(URI uri, String localPath, long sizeBytes, String mtimeMillis) {
    }

    /** Checks an upload's URL and local file (which must exist and be readable) before any lock is taken. */
    Source check(String remoteUrl, String localPath) {
        URI uri = transports.check(remoteUrl, true);
        String local = Inputs.localPath(localPath);
        Path source = Path.of(local);
        try {
            if (!Files.isRegularFile(source)) {
                throw JbitsException.invalidArgument("no file to upload at " + local);
            }
            if (!Files.isReadable(source)) {
                throw new JbitsException(BitsCodes.E_ACCESSDENIED, "cannot read " + local);
            }
            return new Source(uri, local, Files.size(source),
                    String.valueOf(Files.getLastModifiedTime(source).toMillis()));
        } catch (IOException e) {
            throw new JbitsException(BitsCodes.E_ACCESSDENIED, "cannot read " + local + ": " + e.getMessage(), e);
        }
    }

    /** Gives {@code job} its one file (and an upload-reply job its reply); the caller holds the lock and flushes. */
    void attach(JobModel job, Source checked) {
        if (job.state.isFinal()) {
            throw JbitsException.invalidState("job " + job.id + " is " + job.state + ": no files can be added");
        }
        if (!job.files.isEmpty()) {
            throw new JbitsException(BitsCodes.BG_E_TOO_MANY_FILES,
                    "an upload job holds exactly one file; job " + job.id + " has one");
        }
        String local = checked.localPath();
        FileModel file = new FileModel(new FileRow(job.id, 0, checked.uri().toString(), local, "",
                checked.sizeBytes(), 0, false, null, checked.mtimeMillis(), "{}"), job.id, FileModel.Kind.UPLOAD);
        job.files.add(file);
        table.persister.file(file);
        if (job.type == JobType.UPLOAD_REPLY) {
            String replyPath = local + "-" + job.id.substring(0, 8) + ".reply";
            FileModel reply = new FileModel(new FileRow(job.id, 1, "", replyPath,
                    LocalFiles.tempPathFor(job.id, replyPath), -1, 0, false, null, null, "{}"),
                    job.id, FileModel.Kind.REPLY);
            job.files.add(reply);
            table.persister.file(reply);
        }
        table.touch(job);
        table.persister.job(job);
    }

    JobInfo setReplyFile(String jobId, String localPath) {
        String local = Inputs.localPath(localPath);
        synchronized (table.lock) {
            JobModel job = table.find(jobId);
            if (job.type != JobType.UPLOAD_REPLY) {
                throw JbitsException.invalidArgument("job " + job.id + " is a " + job.type.label()
                        + " job: only upload-reply jobs have a reply file");
            }
            FileModel reply = job.reply();
            if (reply == null) {
                throw JbitsException.invalidState("add the file to upload to job " + job.id + " first");
            }
            if (job.state != JobState.SUSPENDED || reply.written > 0 || !reply.remoteUrl.isEmpty()
                    || job.files.get(0).written > 0) {
                throw JbitsException.invalidState("the reply file of job " + job.id
                        + " can only change before the job first runs");
            }
            reply.localPath = local;
            reply.tempPath(LocalFiles.tempPathFor(job.id, local));
            table.touch(job);
            table.persister.job(job);
            table.persister.file(reply);
        }
        table.flush();
        return table.info(jobId);
    }

    /** The reply of an upload-reply job, read from its temporary (or final file, once completed). */
    byte[] replyData(String jobId) {
        Path path;
        synchronized (table.lock) {
            JobModel job = table.find(jobId);
            FileModel reply = job.reply();
            if (reply == null) {
                throw JbitsException.invalidArgument("job " + job.id + " is not an upload-reply job with a file");
            }
            if (!reply.completed) {
                throw JbitsException.invalidState("the reply of job " + job.id + " has not arrived yet");
            }
            if (reply.bytesTotal > MAX_REPLY_DATA_BYTES) {
                throw new JbitsException(BitsCodes.BG_E_TOO_LARGE, "the reply of job " + job.id + " is "
                        + reply.bytesTotal + " bytes; read it from " + reply.localPath + " (data is for ≤ 1 MiB)");
            }
            path = Path.of(job.state == JobState.ACKNOWLEDGED ? reply.localPath : reply.tempPath());
        }
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new JbitsException(BitsCodes.E_ACCESSDENIED, "cannot read the reply " + path + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Tells the upload server a cancelled job's session is over: Cancel-Session while the upload is unfinished
     * (the server deletes what it has), Close-Session once it is done (upload-reply: only the reply is cancelled).
     * Best effort: a session the server cannot reach expires there.
     */
    void endSession(JobModel job, FileModel up) {
        if ("{}".equals(up.transportState)) {
            return; // no session was ever opened
        }
        UploadTransport t = transports.upload(URI.create(up.remoteUrl));
        if (t == null) {
            return;
        }
        UploadRequest r = new UploadRequest(URI.create(up.remoteUrl), Path.of(up.localPath), up.bytesTotal,
                up.transportState, job.type == JobType.UPLOAD_REPLY, job.owner, job.options);
        try {
            if (up.completed) {
                t.closeSession(r);
            } else {
                t.cancelSession(r);
            }
        } catch (IOException | TransferFailure | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "job " + job.id + ": could not end the upload session: "
                    + e.getMessage());
        }
    }
}
