package io.jbits.core.internal;

import io.jbits.api.FileInfo;
import io.jbits.spi.FileRow;
import io.jbits.spi.Validator;
import java.nio.channels.FileChannel;

/**
 * One file of a job while the engine holds it. Progress fields are written by the file's transfer thread and
 * read by anyone; the owner-facing fields change under the engine's lock.
 *
 * <p>Three byte counts matter: {@code written} bytes are in the temporary file, {@code durable} bytes are fsynced
 * and committed to the store (a crash loses at most the difference), and {@code bytesTotal} is the entity's size.
 * {@code generation} changes whenever the file restarts from zero, so a checkpoint taken before the restart is
 * never published after it.
 */
final class FileModel {
    final String jobId;
    final int index;
    /** The source of an upload (never written, never deleted), or null for files that are downloaded. */
    final Kind kind;
    volatile String localPath;
    /**
     * The temporary's path when it differs from {@link LocalFiles#tempPathFor}'s name for the file, else null: the
     * usual name is computed when asked for rather than kept once per file.
     */
    private volatile String unusualTempPath;
    volatile String remoteUrl;
    volatile long bytesTotal;
    volatile long written;
    volatile long durable;
    /**
     * The most bytes the temporary held in this process: bytes fetched again below it after a restart from zero
     * are not progress (not persisted: after a service restart the retry clock starts afresh anyway).
     */
    volatile long mostWritten;
    volatile boolean completed;
    volatile Validator validator;
    volatile String transportState;
    /** Open while a transfer writes the file; the checkpointer forces it. Guarded by {@code this}. */
    FileChannel channel;
    long generation;

    /** What a file of a job is for. */
    enum Kind {
        /** Downloaded into a temporary beside {@code localPath}. */
        DOWNLOAD,
        /** Uploaded from {@code localPath}, which jbits only reads. */
        UPLOAD,
        /** An upload-reply job's reply: downloaded from the reply URL once the upload is done. */
        REPLY
    }

    /** A file from its stored row; {@code jobId} is the job's own id instance (the row's is an equal copy). */
    FileModel(FileRow row, String jobId, Kind kind) {
        this.jobId = Shared.value(row.jobId(), jobId);
        this.index = row.index();
        this.kind = kind;
        this.localPath = row.localPath();
        tempPath(row.tempPath());
        this.remoteUrl = row.remoteUrl();
        this.bytesTotal = row.bytesTotal();
        this.written = row.bytesTransferred();
        this.mostWritten = row.bytesTransferred();
        this.durable = row.bytesTransferred();
        this.completed = row.completed();
        this.validator = row.etag() == null && row.lastModified() == null && row.bytesTotal() == -1
                ? Validator.NONE : new Validator(row.etag(), row.lastModified(), row.bytesTotal());
        this.transportState = Shared.value(row.transportState(), Shared.EMPTY_OBJECT);
    }

    /** The temporary file that receives the bytes ("" for the source of an upload). */
    String tempPath() {
        String unusual = unusualTempPath;
        return unusual != null ? unusual : LocalFiles.tempPathFor(jobId, localPath);
    }

    /** Sets the temporary's path (made from the final name by {@link LocalFiles#tempPathFor}, or not). */
    void tempPath(String path) {
        String local = localPath;
        boolean usual = path != null && local != null && jobId.length() >= 8
                && path.equals(LocalFiles.tempPathFor(jobId, local));
        unusualTempPath = usual ? null : path;
    }

    FileRow toRow() {
        Validator v = validator;
        return new FileRow(jobId, index, remoteUrl, localPath, tempPath(), bytesTotal, durable, completed, v.etag(),
                v.lastModified(), transportState);
    }

    FileInfo toInfo() {
        return new FileInfo(index, remoteUrl, localPath, bytesTotal, completed ? bytesTotal : written, completed);
    }

    /** True when jbits writes this file (a download or a reply), so it has a temporary to publish or delete. */
    boolean written() {
        return kind != Kind.UPLOAD;
    }

    /** Forgets every byte: the next transfer starts from zero with no validator. Caller holds {@code this}. */
    void resetProgress() {
        generation++;
        written = 0;
        durable = 0;
        completed = false;
        bytesTotal = FileInfo.SIZE_UNKNOWN;
        validator = Validator.NONE;
    }
}
