package io.jbits.store.sqlite;

import io.jbits.api.ErrorContext;
import io.jbits.api.JobError;
import io.jbits.api.JobState;
import io.jbits.api.JobType;
import io.jbits.api.Priority;
import io.jbits.spi.FileRow;
import io.jbits.spi.JobRow;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;

/**
 * The SQL of the two tables and the mapping between their columns and {@link JobRow} / {@link FileRow}.
 *
 * <p>Enums are stored by name, instants as epoch milliseconds and durations as milliseconds, so anything finer
 * than a millisecond does not survive a round trip. A {@link JobError} is spread over the {@code error_*} columns,
 * all NULL when there is none.
 */
final class Rows {

    static final String UPSERT_JOB = """
            INSERT INTO jobs (id, name, description, type, priority, owner, state, created, modified,
                              transfer_completed, min_retry_delay_ms, no_progress_timeout_ms, error_count,
                              error_code, error_context, error_message, error_http_status, error_file_index,
                              error_transient, options, event_seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                name = excluded.name, description = excluded.description, type = excluded.type,
                priority = excluded.priority, owner = excluded.owner, state = excluded.state,
                created = excluded.created, modified = excluded.modified,
                transfer_completed = excluded.transfer_completed, min_retry_delay_ms = excluded.min_retry_delay_ms,
                no_progress_timeout_ms = excluded.no_progress_timeout_ms, error_count = excluded.error_count,
                error_code = excluded.error_code, error_context = excluded.error_context,
                error_message = excluded.error_message, error_http_status = excluded.error_http_status,
                error_file_index = excluded.error_file_index, error_transient = excluded.error_transient,
                options = excluded.options, event_seq = excluded.event_seq""";

    // Not INSERT OR REPLACE: REPLACE deletes the old row first, and on jobs that delete cascades to the files.
    static final String UPSERT_FILE = """
            INSERT INTO files (job_id, idx, remote_url, local_path, temp_path, bytes_total, bytes_transferred,
                               completed, etag, last_modified, transport_state)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (job_id, idx) DO UPDATE SET
                remote_url = excluded.remote_url, local_path = excluded.local_path, temp_path = excluded.temp_path,
                bytes_total = excluded.bytes_total, bytes_transferred = excluded.bytes_transferred,
                completed = excluded.completed, etag = excluded.etag, last_modified = excluded.last_modified,
                transport_state = excluded.transport_state""";

    static final String DELETE_JOB = "DELETE FROM jobs WHERE id = ?";

    /**
     * Every job with its files in one pass: jobs in storage order, each job's files after it by index (the files'
     * primary key), so no sort is needed; a job without files comes once, with NULL file columns.
     */
    static final String SELECT_JOBS_WITH_FILES = """
            SELECT j.id, j.name, j.description, j.type, j.priority, j.owner, j.state, j.created, j.modified,
                   j.transfer_completed, j.min_retry_delay_ms, j.no_progress_timeout_ms, j.error_count,
                   j.error_code, j.error_context, j.error_message, j.error_http_status, j.error_file_index,
                   j.error_transient, j.options, j.event_seq,
                   f.job_id, f.idx, f.remote_url, f.local_path, f.temp_path, f.bytes_total, f.bytes_transferred,
                   f.completed, f.etag, f.last_modified, f.transport_state
            FROM jobs j LEFT JOIN files f ON f.job_id = j.id
            ORDER BY j.rowid, f.idx""";

    /** {@link #SELECT_JOBS_WITH_FILES} for the jobs with a rowid from parameter 1 to parameter 2. */
    static final String SELECT_JOB_RANGE_WITH_FILES = SELECT_JOBS_WITH_FILES.replace("ORDER BY",
            "WHERE j.rowid BETWEEN ? AND ?\n            ORDER BY");

    private Rows() {
    }

    static void bindJob(PreparedStatement statement, JobRow job) throws SQLException {
        statement.setString(1, job.id());
        statement.setString(2, job.name());
        statement.setString(3, job.description());
        statement.setString(4, job.type() == null ? null : job.type().name());
        statement.setString(5, job.priority() == null ? null : job.priority().name());
        statement.setString(6, job.owner());
        statement.setString(7, job.state().name());
        setLong(statement, 8, job.created() == null ? null : job.created().toEpochMilli());
        setLong(statement, 9, job.modified() == null ? null : job.modified().toEpochMilli());
        setLong(statement, 10, job.transferCompleted() == null ? null : job.transferCompleted().toEpochMilli());
        setLong(statement, 11, job.minRetryDelay() == null ? null : job.minRetryDelay().toMillis());
        setLong(statement, 12, job.noProgressTimeout() == null ? null : job.noProgressTimeout().toMillis());
        statement.setInt(13, job.errorCount());
        JobError error = job.error();
        setLong(statement, 14, error == null ? null : (long) error.code());
        statement.setString(15, error == null ? null : error.context().name());
        statement.setString(16, error == null ? null : error.message());
        setLong(statement, 17, error == null || error.httpStatus() == null ? null : (long) error.httpStatus());
        setLong(statement, 18, error == null || error.fileIndex() == null ? null : (long) error.fileIndex());
        setLong(statement, 19, error == null ? null : error.transientError() ? 1L : 0L);
        statement.setString(20, job.options());
        statement.setLong(21, job.eventSeq());
    }

    static void bindFile(PreparedStatement statement, FileRow file) throws SQLException {
        statement.setString(1, file.jobId());
        statement.setInt(2, file.index());
        statement.setString(3, file.remoteUrl());
        statement.setString(4, file.localPath());
        statement.setString(5, file.tempPath());
        statement.setLong(6, file.bytesTotal());
        statement.setLong(7, file.bytesTransferred());
        statement.setInt(8, file.completed() ? 1 : 0);
        statement.setString(9, file.etag());
        statement.setString(10, file.lastModified());
        statement.setString(11, file.transportState());
    }

    /**
     * Reads the job columns of the current row of {@link #SELECT_JOBS_WITH_FILES}; throws IllegalArgumentException
     * on an unknown enum name.
     */
    static JobRow readJob(ResultSet row) throws SQLException {
        return readJob(row, true);
    }

    /**
     * Reads the job columns of the current row; a row of schema version 1 ({@code withEventSeq} false) has no
     * {@code event_seq} column and reads as 0 there.
     */
    static JobRow readJob(ResultSet row, boolean withEventSeq) throws SQLException {
        Long errorCode = getLong(row, "error_code");
        JobError error = null;
        if (errorCode != null) {
            Long httpStatus = getLong(row, "error_http_status");
            Long fileIndex = getLong(row, "error_file_index");
            error = new JobError(errorCode.intValue(), ErrorContext.valueOf(row.getString("error_context")),
                    row.getString("error_message"), httpStatus == null ? null : httpStatus.intValue(),
                    fileIndex == null ? null : fileIndex.intValue(), row.getInt("error_transient") != 0);
        }
        String type = row.getString("type");
        String priority = row.getString("priority");
        return new JobRow(row.getString("id"), row.getString("name"), row.getString("description"),
                type == null ? null : JobType.valueOf(type), priority == null ? null : Priority.valueOf(priority),
                row.getString("owner"), JobState.valueOf(row.getString("state")), instant(row, "created"),
                instant(row, "modified"), instant(row, "transfer_completed"), duration(row, "min_retry_delay_ms"),
                duration(row, "no_progress_timeout_ms"), row.getInt("error_count"), error, row.getString("options"),
                withEventSeq ? row.getLong("event_seq") : 0);
    }

    /** Reads the file columns of the current row of {@link #SELECT_JOBS_WITH_FILES}. */
    static FileRow readFile(ResultSet row) throws SQLException {
        return new FileRow(row.getString("job_id"), row.getInt("idx"), row.getString("remote_url"),
                row.getString("local_path"), row.getString("temp_path"), row.getLong("bytes_total"),
                row.getLong("bytes_transferred"), row.getInt("completed") != 0, row.getString("etag"),
                row.getString("last_modified"), row.getString("transport_state"));
    }

    /** True when the result set has a column of this name. */
    static boolean hasColumn(ResultSet rows, String column) throws SQLException {
        java.sql.ResultSetMetaData meta = rows.getMetaData();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            if (column.equalsIgnoreCase(meta.getColumnName(i))) {
                return true;
            }
        }
        return false;
    }

    private static void setLong(PreparedStatement statement, int parameter, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(parameter, Types.INTEGER);
        } else {
            statement.setLong(parameter, value);
        }
    }

    private static Long getLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Long millis = getLong(row, column);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static Duration duration(ResultSet row, String column) throws SQLException {
        Long millis = getLong(row, column);
        return millis == null ? null : Duration.ofMillis(millis);
    }
}
