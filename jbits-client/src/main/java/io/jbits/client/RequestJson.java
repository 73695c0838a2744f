package io.jbits.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.jbits.rest.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * Writes the bodies of the requests the quick verbs make ({@link Json.CreateJob}, {@link Json.FileSet},
 * {@link Json.NewDownload}, {@link Json.AddFile}, {@link Json.Change})
 * with jackson-core's generator, field by field: the same bytes the shared mapper writes for these records (the
 * tests hold the two to it), without the reflection its data binding does at first use in a short-lived JVM.
 */
final class RequestJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private RequestJson() {
    }

    /** The body of {@code POST /v1/jobs}. */
    static byte[] createJob(Json.CreateJob job) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("name", job.name());
            g.writeStringField("type", job.type());
            g.writeStringField("priority", job.priority());
            g.writeStringField("description", job.description());
            g.writeEndObject();
        });
    }

    /** The body of {@code POST /v1/jobs/{id}/file-set}. */
    static byte[] fileSet(Json.FileSet set) {
        return write(g -> {
            g.writeStartObject();
            files(g, set.files());
            g.writeEndObject();
        });
    }

    /** The body of {@code POST /v1/download-jobs}. */
    static byte[] newDownload(Json.NewDownload download) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("name", download.name());
            g.writeStringField("priority", download.priority());
            g.writeStringField("description", download.description());
            files(g, download.files());
            g.writeEndObject();
        });
    }

    /**
     * The body of {@code PATCH /v1/jobs/{id}} ({@code jbits set}). A duration with a fraction of a second (never
     * from the command line) is written by the mapper, which writes it as a decimal.
     */
    static byte[] change(Json.Change change) {
        if (fraction(change.minRetryDelay()) || fraction(change.noProgressTimeout())) {
            try {
                return Json.mapper().writeValueAsBytes(change);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("name", change.name());
            g.writeStringField("description", change.description());
            g.writeStringField("priority", change.priority() == null ? null : change.priority().label());
            seconds(g, "minRetryDelay", change.minRetryDelay());
            seconds(g, "noProgressTimeout", change.noProgressTimeout());
            g.writeEndObject();
        });
    }

    private static boolean fraction(Duration d) {
        return d != null && d.getNano() != 0;
    }

    private static void seconds(JsonGenerator g, String field, Duration whole) throws IOException {
        g.writeFieldName(field);
        if (whole == null) {
            g.writeNull();
        } else {
            g.writeNumber(whole.getSeconds());
        }
    }

    private static void files(JsonGenerator g, List<Json.AddFile> files) throws IOException {
        array(g, "files", files, RequestJson::addFile);
    }

    /** The body of {@code POST /v1/upload-jobs}: the jobs of {@code transfer --upload} with their files. */
    static byte[] uploadBatch(Json.UploadBatch batch) {
        return write(g -> {
            g.writeStartObject();
            array(g, "uploads", batch.uploads(), RequestJson::newUpload);
            g.writeEndObject();
        });
    }

    private static void newUpload(JsonGenerator g, Json.NewUpload u) throws IOException {
        if (u == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("name", u.name());
        g.writeStringField("type", u.type());
        g.writeStringField("priority", u.priority());
        g.writeStringField("description", u.description());
        g.writeStringField("remoteUrl", u.remoteUrl());
        g.writeStringField("localPath", u.localPath());
        g.writeEndObject();
    }

    /** The body of {@code POST /v1/job-completions}: the jobs of an upload set, completed together. */
    static byte[] jobIds(Json.JobIds ids) {
        return write(g -> {
            g.writeStartObject();
            array(g, "ids", ids.ids(), JsonGenerator::writeString);
            g.writeEndObject();
        });
    }

    /** One element of an array field. */
    private interface Element<T> {
        void write(JsonGenerator g, T value) throws IOException;
    }

    /** A field holding a list (null as the mapper writes it: {@code null}). */
    private static <T> void array(JsonGenerator g, String field, List<T> items, Element<T> element)
            throws IOException {
        g.writeFieldName(field);
        if (items == null) {
            g.writeNull();
            return;
        }
        g.writeStartArray();
        for (T item : items) {
            element.write(g, item);
        }
        g.writeEndArray();
    }

    /** The body of {@code POST /v1/jobs/{id}/files}. */
    static byte[] addFile(Json.AddFile file) {
        return write(g -> addFile(g, file));
    }

    private static void addFile(JsonGenerator g, Json.AddFile f) throws IOException {
        if (f == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("remoteUrl", f.remoteUrl());
        g.writeStringField("localPath", f.localPath());
        g.writeEndObject();
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }
}
