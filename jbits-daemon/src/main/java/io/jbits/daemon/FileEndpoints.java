package io.jbits.daemon;

import static io.jbits.daemon.Answer.ok;
import static io.jbits.daemon.JsonBody.required;

import io.jbits.api.TransferManager;
import io.jbits.rest.Json;
import io.jbits.rest.Route;
import java.io.IOException;
import java.util.Map;

/** The routes of a job's files: add one, add several all or none, change one's remote URL. */
final class FileEndpoints {
    private final TransferManager jobs;

    FileEndpoints(TransferManager jobs) {
        this.jobs = jobs;
    }

    Map<Route, Endpoint> endpoints() {
        return Map.of(
                Route.JOB_ADD_FILE, this::addFile,
                Route.JOB_ADD_FILES, this::addFiles,
                Route.FILE_REMOTE_URL, this::setRemoteUrl);
    }

    private Answer addFile(Exchange x) throws IOException {
        Json.AddFile add = x.body(Json.AddFile.class);
        return ok(jobs.addFile(x.jobId(), required(add.remoteUrl(), "remoteUrl"), required(add.localPath(),
                "localPath")));
    }

    private Answer addFiles(Exchange x) throws IOException {
        return ok(jobs.addFiles(x.jobId(), JsonBody.files(x.body(Json.FileSet.class).files(), "file-set")));
    }

    private Answer setRemoteUrl(Exchange x) throws IOException {
        int index = fileIndex(x.param("index")); // checked before the body is read
        Json.RemoteUrl body = x.body(Json.RemoteUrl.class);
        return ok(jobs.setRemoteUrl(x.jobId(), index, required(body.remoteUrl(), "remoteUrl")));
    }

    private static int fileIndex(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw Refusal.badRequest("file index must be a number, not '" + text + "'");
        }
    }
}
