package io.jbits.daemon;

import static io.jbits.daemon.Answer.ok;
import static io.jbits.daemon.JsonBody.required;

import io.jbits.api.BitsCodes;
import io.jbits.api.JbitsException;
import io.jbits.api.JobChanges;
import io.jbits.api.JobEvent;
import io.jbits.api.JobType;
import io.jbits.api.NewFile;
import io.jbits.api.NewJob;
import io.jbits.api.NewUpload;
import io.jbits.api.Priority;
import io.jbits.api.TransferManager;
import io.jbits.rest.ApiParameters;
import io.jbits.rest.Json;
import io.jbits.rest.Route;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.util.Fields;

/** The routes of jobs as a whole: list, create, show, change, the state changes, the reply and notifications. */
final class JobEndpoints {
    private final TransferManager jobs;

    JobEndpoints(TransferManager jobs) {
        this.jobs = jobs;
    }

    Map<Route, Endpoint> endpoints() {
        Map<Route, Endpoint> e = new EnumMap<>(Route.class);
        e.put(Route.JOBS_LIST, this::list);
        e.put(Route.JOB_CREATE, x -> Answer.created(jobs.create(newJob(x.body(Json.CreateJob.class)))));
        e.put(Route.DOWNLOAD_START, this::startDownload);
        e.put(Route.UPLOADS_START, this::startUploads);
        e.put(Route.JOB_SHOW, x -> ok(jobs.job(x.jobId())));
        e.put(Route.JOB_CHANGE, x -> ok(jobs.change(x.jobId(), changes(x.body(Json.Change.class)))));
        e.put(Route.JOB_RESUME, x -> ok(jobs.resume(x.jobId())));
        e.put(Route.JOB_SUSPEND, x -> ok(jobs.suspend(x.jobId())));
        e.put(Route.JOB_CANCEL, x -> ok(jobs.cancel(x.jobId())));
        e.put(Route.JOB_COMPLETE, x -> ok(jobs.complete(x.jobId())));
        e.put(Route.JOBS_COMPLETE, this::completeAll);
        e.put(Route.JOB_REPLY_FILE, x -> ok(jobs.setReplyFile(x.jobId(),
                required(x.body(Json.ReplyFile.class).localPath(), "localPath"))));
        e.put(Route.JOB_REPLY, x -> ok(new Json.Reply(jobs.replyData(x.jobId()))));
        e.put(Route.JOB_NOTIFY, this::setNotifyCommand);
        e.put(Route.JOB_MAX_RATE, x -> {
            Long bps = x.body(Json.MaxRate.class).bytesPerSecond();
            return ok(jobs.setMaxRate(x.jobId(), bps == null ? -1 : bps));
        });
        return e;
    }

    private Answer list(Exchange x) {
        Fields query = x.query();
        boolean all = "true".equalsIgnoreCase(query.getValue(ApiParameters.ALL));
        // The snapshot is taken here; it is written out job by job, without the engine's lock.
        return ok(new Answer.JobList("false".equalsIgnoreCase(query.getValue(ApiParameters.FILES))
                ? jobs.jobSummaries(all) : jobs.jobs(all)));
    }

    private Answer setNotifyCommand(Exchange x) throws IOException {
        Json.Notify body = x.body(Json.Notify.class);
        Set<JobEvent.Kind> on = new HashSet<>();
        for (String label : body.on() == null ? List.<String>of() : body.on()) {
            on.add(JobEvent.Kind.parse(label));
        }
        return ok(jobs.setNotifyCommand(x.jobId(), body.commandLine(), on));
    }

    private Answer startDownload(Exchange x) throws IOException {
        Json.NewDownload body = x.body(Json.NewDownload.class);
        List<NewFile> files = JsonBody.files(body.files(), "download-jobs");
        Priority priority = body.priority() == null ? Priority.NORMAL : Priority.parse(body.priority());
        return Answer.created(jobs.startDownload(new NewJob(required(body.name(), "name"), JobType.DOWNLOAD,
                priority, body.description()), files));
    }

    private Answer startUploads(Exchange x) throws IOException {
        Json.UploadBatch batch = x.body(Json.UploadBatch.class);
        if (batch.uploads() == null || batch.uploads().isEmpty()) {
            throw new JbitsException(BitsCodes.E_INVALIDARG, "upload-jobs: no uploads");
        }
        List<NewUpload> uploads = new ArrayList<>(batch.uploads().size());
        for (Json.NewUpload u : batch.uploads()) {
            JobType type = u.type() == null ? JobType.UPLOAD : JobType.parse(u.type());
            Priority priority = u.priority() == null ? Priority.NORMAL : Priority.parse(u.priority());
            uploads.add(new NewUpload(new NewJob(required(u.name(), "name"), type, priority, u.description()),
                    new NewFile(required(u.remoteUrl(), "remoteUrl"), required(u.localPath(), "localPath"))));
        }
        return Answer.created(jobs.startUploads(uploads));
    }

    private Answer completeAll(Exchange x) throws IOException {
        Json.JobIds body = x.body(Json.JobIds.class);
        if (body.ids() == null || body.ids().isEmpty()) {
            throw new JbitsException(BitsCodes.E_INVALIDARG, "job-completions: no job ids");
        }
        return ok(jobs.completeAll(body.ids()));
    }

    private static NewJob newJob(Json.CreateJob body) {
        JobType type = body.type() == null ? JobType.DOWNLOAD : JobType.parse(body.type());
        Priority priority = body.priority() == null ? Priority.NORMAL : Priority.parse(body.priority());
        return new NewJob(required(body.name(), "name"), type, priority, body.description());
    }

    private static JobChanges changes(Json.Change body) {
        return new JobChanges(body.name(), body.description(), body.priority(), body.minRetryDelay(),
                body.noProgressTimeout());
    }
}
